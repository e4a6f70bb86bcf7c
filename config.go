package main

import (
	"flag"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"hooklens/backend/receiver"
	"hooklens/backend/registration"
)

// config is what the flags of the faces say.
type config struct {
	Data          string
	Listen        string
	UI            string
	Token         string
	MaxBody       int64
	MaxHeaderSize int
	HeaderTimeout time.Duration
	BodyTimeout   time.Duration
	Secrets       map[string]string
	// ForwardTo forwards every captured delivery to this URL for this run (serve --forward-to).
	ForwardTo string
	// LiveChatAPI is the base URL of LiveChat's Configuration API for in-app registration
	// (serve --livechat-api; tests point it at a fake).
	LiveChatAPI string
	// listenSet and uiSet say the flags were given: they then win over the stored ports.
	listenSet, uiSet bool
}

// applyPorts uses the stored ports (Settings → ports) where no flag chose an address.
func (c *config) applyPorts(listen, ui string) {
	if listen != "" && !c.listenSet {
		c.Listen = listen
	}
	if ui != "" && !c.uiSet && c.UI != "" {
		c.UI = ui
	}
}

// secretFlags collects repeatable --secret VENDOR=SECRET values.
type secretFlags map[string]string

func (s secretFlags) String() string { return "" }

func (s secretFlags) Set(v string) error {
	vendor, secret, ok := strings.Cut(v, "=")
	if !ok || vendor == "" {
		return fmt.Errorf("want VENDOR=SECRET")
	}
	s[strings.ToLower(vendor)] = secret
	return nil
}

func defaultDataDir() string {
	dir, err := os.UserConfigDir()
	if err != nil {
		return ".hooklens"
	}
	return filepath.Join(dir, "hooklens")
}

// parseConfig reads the flags of `hooklens` and `hooklens serve` (serve adds --ui and --token).
func parseConfig(name string, args []string, serve bool) (*config, error) {
	c := &config{Secrets: map[string]string{}, LiveChatAPI: registration.LiveChatAPI}
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.StringVar(&c.Data, "data", defaultDataDir(), "data directory (created user-only if missing)")
	fs.StringVar(&c.Listen, "listen", "127.0.0.1:8787", "receiver address: the port a tunnel exposes")
	fs.Int64Var(&c.MaxBody, "max-body", receiver.DefaultMaxBody, "largest body kept, in bytes; larger ones get 413 and a stored refusal")
	fs.IntVar(&c.MaxHeaderSize, "max-header", receiver.DefaultMaxHeaderSize, "largest request head, in bytes")
	fs.DurationVar(&c.HeaderTimeout, "header-timeout", receiver.DefaultHeaderTimeout, "time a client has to send the request head")
	fs.DurationVar(&c.BodyTimeout, "body-timeout", receiver.DefaultBodyTimeout, "time a client has to send the body after the head")
	fs.Var(secretFlags(c.Secrets), "secret", "vendor secret as VENDOR=SECRET (livechat, iadvize, closer); repeatable")
	if serve {
		fs.StringVar(&c.UI, "ui", "127.0.0.1:8788", "UI/API address (loopback unless you mean it)")
		fs.StringVar(&c.Token, "token", "", "UI token (default: random)")
		fs.StringVar(&c.ForwardTo, "forward-to", "", "forward every captured delivery live to this URL (its path is prefixed to the delivery's)")
		fs.StringVar(&c.LiveChatAPI, "livechat-api", registration.LiveChatAPI, "base URL of LiveChat's Configuration API, for in-app registration")
	}
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	if err := validAPIURL(c.LiveChatAPI); err != nil {
		return nil, fmt.Errorf("--livechat-api: %w", err)
	}
	fs.Visit(func(f *flag.Flag) {
		c.listenSet = c.listenSet || f.Name == "listen"
		c.uiSet = c.uiSet || f.Name == "ui"
	})
	for _, v := range []string{"livechat", "iadvize", "closer"} {
		if s, ok := os.LookupEnv("HOOKLENS_SECRET_" + strings.ToUpper(v)); ok {
			if _, set := c.Secrets[v]; !set {
				c.Secrets[v] = s
			}
		}
	}
	return c, nil
}

// validAPIURL checks an http(s) base URL with a host and no query.
func validAPIURL(raw string) error {
	u, err := url.Parse(raw)
	switch {
	case err != nil:
		return err
	case u.Scheme != "http" && u.Scheme != "https":
		return fmt.Errorf("%q must start with https:// (or http://)", raw)
	case u.Host == "":
		return fmt.Errorf("%q has no host", raw)
	case u.RawQuery != "" || u.Fragment != "" || u.User != nil:
		return fmt.Errorf("%q must not have a query, fragment or user", raw)
	}
	return nil
}
