package cli

import (
	"hooklens/backend"
	"hooklens/backend/decode/livechat"
	"hooklens/backend/decode/livechat/configapi"
	"slices"
	"strings"
	"testing"
)

func TestParseConfig_LiveChatAPI(t *testing.T) {
	if configapi.DefaultURL != "https://api.livechatinc.com/v3.6/configuration/action/" {
		t.Errorf("LiveChatAPI = %q; want the real LiveChat API", configapi.DefaultURL)
	}
	c, err := parseConfig(nil, true)
	if err != nil || c.LiveChatAPI != configapi.DefaultURL {
		t.Fatalf("default --livechat-api = %q, %v; want the real LiveChat API", c.LiveChatAPI, err)
	}
	if c, err = parseConfig(nil, false); err != nil || c.LiveChatAPI != configapi.DefaultURL {
		t.Errorf("desktop LiveChatAPI = %q, %v", c.LiveChatAPI, err)
	}
	c, err = parseConfig([]string{"--livechat-api", "http://127.0.0.1:9/lc/"}, true)
	if err != nil || c.LiveChatAPI != "http://127.0.0.1:9/lc/" {
		t.Errorf("--livechat-api = %q, %v", c.LiveChatAPI, err)
	}
	for _, bad := range []string{"ftp://x/", "http:///x", "https://x/?a=b", "not a url"} {
		if _, err := parseConfig([]string{"--livechat-api", bad}, true); err == nil || !strings.Contains(err.Error(), "--livechat-api") {
			t.Errorf("--livechat-api %q: %v; want an error", bad, err)
		}
	}
}

// TestGoStyleFlags_Rewrite: single-dash long flags of the command become double-dash; values,
// unknown names, shorthands and everything after "--" stay as they are.
func TestGoStyleFlags_Rewrite(t *testing.T) {
	in := []string{"export", "-data", "d", "--query", "-data", "-format=ndjson", "-h", "-nope", "--", "-out"}
	want := []string{"export", "--data", "d", "--query", "-data", "--format=ndjson", "-h", "-nope", "--", "-out"}
	if got := goStyleFlags(NewMain().newRootCmd(), in); !slices.Equal(got, want) {
		t.Errorf("goStyleFlags(%q) = %q; want %q", in, got, want)
	}
	in = []string{"-data", "d", "-listen", "127.0.0.1:0", "-help"}
	want = []string{"--data", "d", "--listen", "127.0.0.1:0", "--help"}
	if got := goStyleFlags(NewMain().newRootCmd(), in); !slices.Equal(got, want) {
		t.Errorf("goStyleFlags(%q) = %q; want %q", in, got, want)
	}
}

// TestParseConfig_Sync: --sync is always by default on both faces, takes os, refuses anything
// else as bad usage, and wins over the stored setting only when given.
func TestParseConfig_Sync(t *testing.T) {
	for _, serve := range []bool{true, false} {
		c, err := parseConfig(nil, serve)
		if err != nil || c.Sync != backend.SyncAlways || c.syncSet {
			t.Fatalf("default --sync (serve %v) = %q set %v, %v; want always", serve, c.Sync, c.syncSet, err)
		}
		c.applySync(backend.SyncOS)
		if c.Sync != backend.SyncOS {
			t.Errorf("stored os without --sync: %q; want os", c.Sync)
		}
		if c, err = parseConfig([]string{"--sync=os"}, serve); err != nil || c.Sync != backend.SyncOS {
			t.Errorf("--sync=os = %q, %v", c.Sync, err)
		}
		c, _ = parseConfig([]string{"--sync", "always"}, serve)
		if c.applySync(backend.SyncOS); c.Sync != backend.SyncAlways {
			t.Errorf("--sync always with os stored = %q; want the flag", c.Sync)
		}
		if _, err := parseConfig([]string{"--sync=never"}, serve); ExitCode(err) != ExitUsage || !strings.Contains(err.Error(), "--sync") {
			t.Errorf("--sync=never: %v; want a usage error", err)
		}
	}
}

func TestParseConfig_VendorVersion(t *testing.T) {
	for _, serve := range []bool{true, false} {
		c, err := parseConfig([]string{"--vendor-version", livechat.Name + "=3.5", "--vendor-version=" + livechat.Name + "=v3.4"}, serve)
		if err != nil || c.Versions[livechat.Name] != "3.4" {
			t.Fatalf("--vendor-version (serve %v) = %v, %v; want the last one, 3.4", serve, c.Versions, err)
		}
		for _, bad := range []string{livechat.Name + "=9.9", "nope=1", livechat.Name, livechat.Name + "="} {
			if _, err := parseConfig([]string{"--vendor-version", bad}, serve); ExitCode(err) != ExitUsage || !strings.Contains(err.Error(), "vendor-version") {
				t.Errorf("--vendor-version %s: %v; want a usage error naming the flag", bad, err)
			}
		}
	}
}
