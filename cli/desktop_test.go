package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"hooklens/backend"
	"hooklens/backend/api"
	"hooklens/backend/export"
	"hooklens/backend/settings"
	"hooklens/backend/sqlite"
)

// desktopStoreAt opens a store in a new folder and the desktop config over it.
func desktopStoreAt(t *testing.T) (DesktopConfig, *sqlite.DB) {
	t.Helper()
	db := sqlite.NewDB(filepath.Join(t.TempDir(), "hooklens.db"))
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return DesktopConfig{Imports: &api.ImportService{Store: db}, Store: db}, db
}

// TestDesktopImport: File → Import… goes through the API's service, and a fixture folder (or its
// manifest.json), which an upload cannot carry, is imported from disk. (Exports are written from
// what the API serves: app/export_test.go.)
func TestDesktopImport(t *testing.T) {
	ctx := context.Background()
	_, db := desktopStoreAt(t)
	body := []byte(`{"action":"incoming_chat","payload":{"chat":{"id":"DESK1"}}}`)
	if err := db.AddDelivery(ctx, &backend.Delivery{Method: "POST", Path: "/livechat", Body: body, Size: int64(len(body)),
		ContentType: "application/json", Status: 200, Source: backend.SourceReceiver,
		Headers: backend.Headers{{Name: "Content-Type", Value: "application/json"}}}); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	res, err := (&api.ExportService{Store: db}).Export(ctx, &buf, export.Options{Format: export.FormatNDJSON})
	if err != nil || res.Deliveries != 1 || !strings.Contains(buf.String(), "DESK1") {
		t.Fatalf("Export = %+v, %v\n%s", res, err, buf.String())
	}
	dir := t.TempDir()
	file := filepath.Join(dir, "all.ndjson")
	os.WriteFile(file, buf.Bytes(), 0o600)
	folder := filepath.Join(dir, "fixtures")
	if _, err := export.WriteDir(ctx, db, folder, export.Options{}); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{file, folder, filepath.Join(folder, export.ManifestName)} {
		dst, _ := desktopStoreAt(t)
		res, err := dst.ImportPath(ctx, path)
		if err != nil || res.Imported != 1 {
			t.Errorf("importPath(%s) = %+v, %v; want 1 imported", filepath.Base(path), res, err)
		}
	}
	dst, _ := desktopStoreAt(t)
	if _, err := dst.ImportPath(ctx, filepath.Join(dir, "missing.har")); err == nil {
		t.Error("importPath of a missing file = nil error")
	}
	bad := filepath.Join(dir, "bad.har")
	os.WriteFile(bad, []byte(`{"log": 3}`), 0o600)
	if _, err := dst.ImportPath(ctx, bad); err == nil || strings.Contains(err.Error(), "EINVALID") {
		t.Errorf("importPath(bad.har) = %v; want the message without its code", err)
	}
	if (DesktopConfig{}).NotificationsOn() {
		t.Error("notifications on without a settings service")
	}
}

type noSecrets struct{}

func (noSecrets) Secret(string) string                            { return "" }
func (noSecrets) SetSecret(context.Context, string, string) error { return nil }

// TestDesktopNotificationsToggle: Settings → notifications turns desktop notifications off at once.
func TestDesktopNotificationsToggle(t *testing.T) {
	ctx := context.Background()
	_, db := desktopStoreAt(t)
	svc, err := settings.Load(ctx, db, noSecrets{})
	if err != nil {
		t.Fatal(err)
	}
	c := DesktopConfig{Settings: svc}
	if !c.NotificationsOn() {
		t.Error("notifications off by default")
	}
	off := false
	if _, err := svc.Update(ctx, settings.Patch{Notifications: &off}); err != nil {
		t.Fatal(err)
	}
	if c.NotificationsOn() {
		t.Error("notifications still on after Settings turned them off")
	}
}
