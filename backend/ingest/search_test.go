package ingest

import "testing"

func TestJSONValues(t *testing.T) {
	for in, want := range map[string]string{
		`{"chat_id":"PJ0M","text":"hi"}`:              `{ "PJ0M", "hi"}`,
		` [ {"a" : 1, "b":[true, "x:y"]} ]`:           ` [ {  1,  [true, "x:y"]} ]`,
		`{"say":"he said \"go\": now","n":{"k":"v"}}`: `{ "he said \"go\": now", { "v"}}`,
		`{"esc\"aped":"v"}`:                           `{ "v"}`,
		`action=chat&"k":v`:                           `action=chat&"k":v`, // not JSON: as it is
		`{"open":"never closed`:                       `{ "never closed`,
		`{"k":`:                                       `{ `,
		"":                                            "",
		`"just a string"`:                             `"just a string"`,
		"{\"a\"\n:\"b\"}":                             `{ "b"}`,
		`{"emoji":"😀","é":"ü"}`:                       `{ "😀", "ü"}`,
	} {
		if got := string(jsonValues([]byte(in))); got != want {
			t.Errorf("jsonValues(%s) = %s; want %s", in, got, want)
		}
	}
}

func FuzzJSONValues(f *testing.F) {
	f.Add([]byte(`{"a":"b","c":[1,"\"d\":"]}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		out := jsonValues(b)
		if len(out) > len(b) {
			t.Fatalf("jsonValues grew %d bytes to %d", len(b), len(out))
		}
	})
}
