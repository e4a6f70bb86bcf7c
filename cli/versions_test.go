package cli_test

import (
	"encoding/json"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"hooklens/backend/decode"
	"hooklens/backend/decode/iadvize"
)

// TestVersions runs the real binary: the list, a change set as text and JSON, then the same
// against a store holding iAdvize samples of two versions, and the bad inputs.
func TestVersions(t *testing.T) {
	out := hooklens(t, true, "versions", iadvize.Name)
	for _, want := range []string{"oldest first", "2017-08", "August 2017 (retired)", "2020-05: v2.conversation.closed renames"} {
		if !strings.Contains(out, want) {
			t.Errorf("versions iadvize lacks %q:\n%s", want, out)
		}
	}
	var list struct {
		Vendor   string
		Versions []decode.APIVersion
	}
	if err := json.Unmarshal([]byte(hooklens(t, true, "versions", iadvize.Name, "--json")), &list); err != nil || len(list.Versions) < 8 || list.Versions[0].Name != "2017-07" {
		t.Errorf("versions --json = %+v, %v; want the versions oldest first", list, err)
	}

	out = hooklens(t, true, "versions", iadvize.Name, "--from", "2019-04", "--to", "2022-12")
	for _, want := range []string{"renamed  satisfaction.filled → satisfaction.answered", "operatorId → operatorIds", "added    user.availability.updated"} {
		if !strings.Contains(out, want) {
			t.Errorf("versions --from 2019-04 --to 2022-12 lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "captured") {
		t.Errorf("without --data, nothing is counted:\n%s", out)
	}

	data := t.TempDir()
	files, _ := filepath.Glob(filepath.Join("testdata", "versions", "*.json"))
	hooklens(t, true, append([]string{"import", "--lenient", "--path", "/" + iadvize.Name, "--decode", "--no-progress", "--data", data}, files...)...)
	out = hooklens(t, true, "versions", iadvize.Name, "--from", "2019-04", "--to", "2022-12", "--data", data)
	words := strings.Join(strings.Fields(out), " ") // the columns' padding aside
	for _, want := range []string{
		"renamed v2.conversation.closed operatorId → operatorIds 1 captured event",
		"added v2.conversation.closed visitorId 1 captured event",
		"renamed satisfaction.filled → satisfaction.answered 1 captured event",
		"added user.connected not captured",
		"In the store in " + data + ": ",
		"v2.conversation.closed: visitorId is new (1 captured event)",
	} {
		if !strings.Contains(words, want) {
			t.Errorf("versions with --data lacks %q:\n%s", want, out)
		}
	}
	var cs decode.ChangeSet
	if err := json.Unmarshal([]byte(hooklens(t, true, "versions", iadvize.Name, "--from", "2019-04", "--to", "2022-12", "--data", data, "--json")), &cs); err != nil || !cs.Store {
		t.Fatalf("versions --data --json = %+v, %v", cs, err)
	}
	counts := map[string]int{}
	for _, c := range append(cs.Events, cs.Fields...) {
		counts[c.Kind+" "+c.EventType+" "+c.Path] = c.Captured
	}
	for k, n := range map[string]int{"renamed v2.conversation.closed operatorId": 1, "added v2.conversation.pushed visitorId": 1, "renamed satisfaction.filled ": 1, "added user.connected ": 0} {
		if counts[k] != n {
			t.Errorf("JSON: %s concerns %d captured events; want %d", k, counts[k], n)
		}
	}

	for _, args := range [][]string{
		{"versions"},
		{"versions", "nope"},
		{"versions", iadvize.Name, "--from", "2019-04"},
		{"versions", iadvize.Name, "--from", "1999-01", "--to", "2019-04"},
		{"versions", iadvize.Name, "--data", data},
		{"versions", iadvize.Name, "--from", "2019-04", "--to", "2020-05", "--data", filepath.Join(data, "missing")},
	} {
		out, err := exec.Command(bin, args...).CombinedOutput()
		if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 2 {
			t.Errorf("hooklens %s = %v\n%s; want exit 2", strings.Join(args, " "), err, out)
		}
	}
}
