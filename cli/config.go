package cli

import (
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"hooklens/backend"
	"hooklens/backend/decode/livechat"
	"hooklens/backend/decode/livechat/configapi"
	"hooklens/backend/receiver"
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
	// Versions pin a vendor's API version (--vendor-version VENDOR=VERSION); stored like a
	// --secret, so later starts keep it.
	Versions map[string]string
	// ForwardTo forwards every captured delivery to this URL for this run (serve --forward-to).
	ForwardTo string
	// LiveChatAPI is the base URL of LiveChat's Configuration API for in-app registration
	// (serve --livechat-api; tests point it at a fake).
	LiveChatAPI string
	// Sync is when a capture is acknowledged (--sync; the stored setting when not given).
	Sync backend.SyncPolicy
	// Heartbeat is how often the run records a sign of life for coverage (hidden --heartbeat).
	Heartbeat time.Duration
	// listenSet, uiSet and syncSet say the flags were given: they then win over the stored
	// settings.
	listenSet, uiSet, syncSet bool
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

// applySync uses the stored sync policy (Settings → durability) unless --sync chose one.
func (c *config) applySync(stored backend.SyncPolicy) {
	if !c.syncSet && stored != "" {
		c.Sync = stored
	}
}

// faceFlags are the flags of `hooklens` and `hooklens serve` (serve adds --ui, --token,
// --forward-to and --livechat-api).
type faceFlags struct {
	c    config
	sync string
	cmd  *cobra.Command
}

// register adds the flags to cmd, as local flags: the subcommands of the root do not inherit them.
func (f *faceFlags) register(cmd *cobra.Command, serve bool) {
	f.cmd = cmd
	f.c = config{Secrets: map[string]string{}, Versions: map[string]string{}, LiveChatAPI: configapi.DefaultURL}
	c := &f.c
	fs := cmd.Flags()
	fs.StringVar(&c.Data, "data", defaultDataDir(), "data `directory` (created user-only if missing)")
	fs.StringVar(&c.Listen, "listen", "127.0.0.1:8787", "receiver `address`: the port a tunnel exposes")
	fs.Int64Var(&c.MaxBody, "max-body", receiver.DefaultMaxBody, "largest body kept, in `bytes`; larger ones get 413 and a stored refusal")
	fs.IntVar(&c.MaxHeaderSize, "max-header", receiver.DefaultMaxHeaderSize, "largest request head, in `bytes`")
	fs.DurationVar(&c.HeaderTimeout, "header-timeout", receiver.DefaultHeaderTimeout, "time a client has to send the request head")
	fs.DurationVar(&c.BodyTimeout, "body-timeout", receiver.DefaultBodyTimeout, "time a client has to send the body after the head")
	fs.Var(secretFlags(c.Secrets), "secret", "vendor secret as `VENDOR=SECRET` ("+vendorList()+"); repeatable")
	fs.Var(versionFlags(c.Versions), "vendor-version", "pin a vendor's API version as `VENDOR=VERSION` (e.g. "+livechat.Name+"=3.5): drift is checked against that version; repeatable")
	fs.StringVar(&f.sync, "sync", string(backend.SyncAlways), "when a delivery is acknowledged: `always` once it is on disk (survives a power cut), os once the system has it (survives a crash of Hooklens, not of the machine); default: the stored setting, else always")
	if serve {
		fs.StringVar(&c.UI, "ui", "127.0.0.1:8788", "UI/API `address` (loopback unless you mean it)")
		fs.StringVar(&c.Token, "token", "", "UI token (default: random)")
		fs.StringVar(&c.ForwardTo, "forward-to", "", "forward every captured delivery live to this `URL` (its path is prefixed to the delivery's)")
		fs.StringVar(&c.LiveChatAPI, livechat.Name+"-api", configapi.DefaultURL, "base `URL` of LiveChat's Configuration API, for in-app registration")
	}
	fs.DurationVar(&c.Heartbeat, "heartbeat", receiver.DefaultHeartbeat, "how often the receiver records that it listens (coverage)")
	_ = fs.MarkHidden("heartbeat")
	cmd.RegisterFlagCompletionFunc("secret", completeSecret)
	cmd.RegisterFlagCompletionFunc("sync", cobra.FixedCompletions([]string{
		string(backend.SyncAlways) + "\ton disk before 2xx", string(backend.SyncOS) + "\twritten to the system before 2xx"},
		cobra.ShellCompDirectiveNoFileComp))
	cmd.MarkFlagDirname("data")
}

// config checks the parsed flags and returns them with the secrets of the environment
// (HOOKLENS_SECRET_<VENDOR>) added where no --secret gave one; a usage error when they are wrong.
func (f *faceFlags) config(serve bool) (*config, error) {
	c := f.c
	c.Secrets = map[string]string{}
	for v, s := range f.c.Secrets {
		c.Secrets[v] = s
	}
	c.Versions = map[string]string{}
	for v, ver := range f.c.Versions {
		if strings.HasPrefix(ver, "v") && registry.CheckPin(v, ver) != nil && registry.CheckPin(v, ver[1:]) == nil {
			ver = ver[1:] // "v3.5" for "3.5"
		}
		if err := registry.CheckPin(v, ver); err != nil {
			return nil, usagef("--vendor-version %s=%s: %s", v, ver, err.Error())
		}
		c.Versions[v] = ver
	}
	if err := validAPIURL(c.LiveChatAPI); err != nil {
		return nil, usagef("--livechat-api: %w", err)
	}
	policy, err := backend.ParseSyncPolicy(f.sync)
	if err != nil {
		return nil, usagef("--sync: %s", backend.ErrorMessage(err))
	}
	c.Sync, c.syncSet = policy, f.cmd.Flags().Changed("sync")
	c.listenSet = f.cmd.Flags().Changed("listen")
	c.uiSet = serve && f.cmd.Flags().Changed("ui")
	for _, v := range registry.Vendors() {
		name := v.Name()
		if s, ok := os.LookupEnv("HOOKLENS_SECRET_" + strings.ToUpper(name)); ok {
			if _, set := c.Secrets[name]; !set {
				c.Secrets[name] = s
			}
		}
	}
	return &c, nil
}

// parseConfig reads the flags of `hooklens` (serve false) or `hooklens serve` from args, as the
// commands do; tests use it.
func parseConfig(args []string, serve bool) (*config, error) {
	cmd := &cobra.Command{Use: "hooklens"}
	var f faceFlags
	f.register(cmd, serve)
	if err := cmd.ParseFlags(args); err != nil {
		return nil, usageError{err}
	}
	if cmd.Flags().NArg() > 0 {
		return nil, usagef("unexpected argument %q", cmd.Flags().Arg(0))
	}
	return f.config(serve)
}

// secretFlags collects repeatable --secret VENDOR=SECRET values.
type secretFlags map[string]string

func (s secretFlags) String() string { return "" }

func (s secretFlags) Type() string { return "VENDOR=SECRET" }

func (s secretFlags) Set(v string) error {
	vendor, secret, ok := strings.Cut(v, "=")
	if !ok || vendor == "" {
		return fmt.Errorf("want VENDOR=SECRET")
	}
	s[strings.ToLower(vendor)] = secret
	return nil
}

// versionFlags collects repeatable --vendor-version VENDOR=VERSION values.
type versionFlags map[string]string

func (s versionFlags) String() string { return "" }

func (s versionFlags) Type() string { return "VENDOR=VERSION" }

func (s versionFlags) Set(v string) error {
	vendor, version, ok := strings.Cut(v, "=")
	if !ok || vendor == "" || version == "" {
		return fmt.Errorf("want VENDOR=VERSION")
	}
	s[strings.ToLower(vendor)] = version
	return nil
}

func defaultDataDir() string {
	dir, err := os.UserConfigDir()
	if err != nil {
		return ".hooklens"
	}
	return filepath.Join(dir, "hooklens")
}

// vendorNames are the names of the registered vendors, in detection order.
func vendorNames() []string { return registry.Names() }

// vendorList is vendorNames for a sentence: "a, b, c".
func vendorList() string { return strings.Join(vendorNames(), ", ") }

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
