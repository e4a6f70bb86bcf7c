package lenient_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"hooklens/backend/decode/lenient"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden from the current output")

func TestParse(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
	}{
		{"StrictCompacted", "{ \"a\" : 1,\n \"b\": [true, false, null] }", `{"a":1,"b":[true,false,null]}`},
		{"LineComment", "{\n\"a\": 1, // one\n\"b\": 2 // two\n}", `{"a":1,"b":2}`},
		{"BlockComment", `{"a": /* note */ 1 /* x */}`, `{"a":1}`},
		{"CommentMarkersInString", `{"u": "https://x.test/a//b /* c */"}`, `{"u":"https://x.test/a//b /* c */"}`},
		{"TrailingCommaObject", `{"a": 1,}`, `{"a":1}`},
		{"TrailingCommaArray", `{"a": [1, 2, ], "b": 3, }`, `{"a":[1,2],"b":3}`},
		{"TrailingCommaBeforeComment", "[1, // last\n]", `[1]`},
		{"MissingCommaBetweenMembers", "{\"a\": \"x\"\n\"b\": 2}", `{"a":"x","b":2}`},
		{"MissingCommaAfterComment", "{\"a\": \"\" // note\n\"b\": 2}", `{"a":"","b":2}`},
		{"MissingCommaAfterObject", "{\"a\": {}\n\"b\": []\n\"c\": 1}", `{"a":{},"b":[],"c":1}`},
		{"MissingCommaBetweenElements", "[1\n2\n{}\n\"x\"]", `[1,2,{},"x"]`},
		{"NumbersByteExact", `{"a": 300.20, "b": 1E+2, "c": -0, "d": 1635418772366, "e": 0.5e-7}`,
			`{"a":300.20,"b":1E+2,"c":-0,"d":1635418772366,"e":0.5e-7}`},
		{"StringsByteExact", `{"é": "\u00e9 \/ \" \\ \n 😀 é"}`, `{"é":"\u00e9 \/ \" \\ \n 😀 é"}`},
		{"RawTabEscaped", "{\"a\": \"x\ty\"}", `{"a":"x\u0009y"}`},
		{"LabelLine", "Agent Login\n\n{\"a\": 1}", `{"a":1}`},
		{"CodeFence", "Sample:\n```json\n{\"a\": 1}\n```\nMore prose.", `{"a":1}`},
		{"FenceEndsUnbalancedSample", "```\n{\"a\": {\"b\": 1}\n```\n", `{"a":{"b":1}}`},
		{"FirstOfSeveralSamples", "{\"a\": 1}\nnext\n{\"b\": 2}", `{"a":1}`},
		{"BackToBackSamples", "{\"a\": 1}\n{\"b\": 2}", `{"a":1}`},
		{"BracketInProseLine", "see the {chat} object:\n[1, 2]", `[1,2]`},
		{"BracketMidLineOnly", "payload: {\"a\": 1}", `{"a":1}`},
		{"MissingFinalBrace", "{\"a\": {\"b\": [1, 2]}", `{"a":{"b":[1,2]}}`},
		{"MissingSeveralClosers", "{\"a\": [{\"b\": 1", `{"a":[{"b":1}]}`},
		{"StrayCloserDropped", "{\"a\": {\"b\": 1}\n],\n\"c\": 2}", `{"a":{"b":1},"c":2}`},
		{"MismatchedCloser", `[{"a": 1]`, `[{"a":1}]`},
		{"ObjectLeftOpenBeforeElement", "[{\"a\": {\"b\": 1},\n{\"c\": 2}]", `[{"a":{"b":1}},{"c":2}]`},
		{"ExtraCloserAfterEnd", `{"a": 1}}`, `{"a":1}`},
		{"Placeholders", `{"a": [ ... ], "b": [1, 2, …], ...}`, `{"a":[],"b":[1,2]}`},
		{"EmptyContainers", `{"a": {}, "b": [], "c": [{}]}`, `{"a":{},"b":[],"c":[{}]}`},
		{"ScalarString", ` "a{b}" `, `"a{b}"`},
		{"ScalarNumber", "42\n", `42`},
		{"ScalarLiteral", "null", `null`},
		{"BOMAndNoBreakSpace", "\ufeff{\u00a0\"a\": 1}", `{"a":1}`},
		{"CRLF", "{\r\n\"a\": 1\r\n\"b\": 2\r\n}", `{"a":1,"b":2}`},
		{"DeepButAllowed", strings.Repeat("[", lenient.MaxDepth) + strings.Repeat("]", lenient.MaxDepth),
			strings.Repeat("[", lenient.MaxDepth) + strings.Repeat("]", lenient.MaxDepth)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := lenient.Parse([]byte(tt.in))
			if err != nil || string(got) != tt.want {
				t.Fatalf("Parse(%q) = %s, %v; want %s", tt.in, got, err, tt.want)
			}
			if !json.Valid(got) {
				t.Errorf("Parse(%q) = %s; not valid JSON", tt.in, got)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name      string
		in        string
		line, col int
		msg       string
	}{
		{"Empty", "", 1, 1, "no JSON value found"},
		{"OnlyComment", "// nothing\n", 2, 1, "no JSON value found"},
		{"MissingCommaSameLine", `{"a": 1 "b": 2}`, 1, 9, `expected ',' or '}', found '"'`},
		{"MissingColon", `{"a" 1}`, 1, 6, "expected ':' after the key"},
		{"MissingValue", `{"a": }`, 1, 7, "expected a value after ':'"},
		{"MissingValueAtEnd", "{\"a\":", 1, 6, "expected a value after ':'"},
		{"DoubleComma", `[1,,2]`, 1, 4, "unexpected ','"},
		{"LeadingComma", `[,1]`, 1, 2, "unexpected ','"},
		{"KeyStartingWithDigit", `{1a: 1}`, 1, 2, `expected a key (in quotes or a name), found "1a"`},
		{"UnquotedKeyWithSpace", `{a b: 1}`, 1, 4, "expected ':' after the key, found 'b'"},
		{"UnterminatedSingleQuote", "{'a': 'x\n}", 1, 7, "unterminated string"},
		{"SingleQuoteEndsWithDouble", `{'a": 1}`, 1, 2, "unterminated string"},
		{"UnquotedValue", `{a: yes}`, 1, 5, `expected a value, found "yes"`},
		// iAdvize's 2017-07-21 draft of conversations.chat.closed (see testdata/SOURCES.md).
		{"CurlyQuoteDraft", "{\n  meta: {\n    \"event\": \"conversations.chat.closed\",\n    \"welcome”: 3,\n    \"delay\": 3\n  }\n}", 4, 5, "unterminated string"},
		{"BadWord", `{"a": True}`, 1, 7, `found "True"`},
		{"LeadingZero", `{"a": 01}`, 1, 7, `invalid number "01"`},
		{"UnquotedId", `{"a": 0000-0000}`, 1, 7, `invalid number "0000-0000"`},
		{"UnterminatedString", "{\"a\": \"x\n}", 1, 7, "unterminated string"},
		{"UnterminatedAtEnd", `{"a": "x`, 1, 7, "unterminated string"},
		{"BadEscape", `{"a": "\x"}`, 1, 8, "invalid escape"},
		{"BadUnicodeEscape", `{"a": "\u12G4"}`, 1, 8, `invalid \u escape`},
		{"UnterminatedBlockComment", "{\"a\": 1 /* x", 1, 9, "unterminated /* comment"},
		{"CommaAfterEnd", `{"a": {"b": 1}}, "c": 2}`, 1, 16, "after the end of the value"},
		{"ScalarThenText", `42 and more`, 1, 4, "after the end of the value"},
		{"ColumnsInCharacters", "{\n  \"é\": 1 \"b\": 2}", 2, 10, `expected ',' or '}'`},
		{"TooDeep", strings.Repeat("[", 100000), 1, lenient.MaxDepth + 1, "nesting deeper than"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := lenient.Parse([]byte(tt.in))
			var e *lenient.Error
			if !errors.As(err, &e) || got != nil {
				t.Fatalf("Parse(%.40q) = %s, %v; want an *Error", tt.in, got, err)
			}
			if e.Line != tt.line || e.Col != tt.col || !strings.Contains(e.Msg, tt.msg) {
				t.Errorf("Parse(%.40q) error = %v; want %d:%d: …%s…", tt.in, err, tt.line, tt.col, tt.msg)
			}
		})
	}
}

// JSON5-style samples: unquoted keys and single-quoted strings, with the repairs reported.
func TestParseJSON5(t *testing.T) {
	tests := []struct{ in, want, repair string }{
		{`{groups: [0, 42]}`, `{"groups":[0,42]}`, "1:2: put the unquoted key groups in quotes"},
		{`{$id: 1, _x: 2, état: 3}`, `{"$id":1,"_x":2,"état":3}`, "1:17: put the unquoted key état in quotes"},
		{`{'a': 'b'}`, `{"a":"b"}`, "1:2: turned a single-quoted string into a double-quoted one"},
		{`['it\'s', 'say "hi"']`, `["it's","say \"hi\""]`, "1:11: turned a single-quoted string into a double-quoted one"},
		{`{"k": 'mixed \n and \u00e9'}`, `{"k":"mixed \n and \u00e9"}`, ""},
		{"{\n  a: 1\n  b: 'x',\n}", `{"a":1,"b":"x"}`, "3:3: inserted a missing ','"},
		{"// doc\n{chat: {id: 'PJ0MRSHTDG', users: [{id: 'a@b.c', type: 'agent'},]}}",
			`{"chat":{"id":"PJ0MRSHTDG","users":[{"id":"a@b.c","type":"agent"}]}}`, "removed a trailing ','"},
		{`{true: 1, null: 2}`, `{"true":1,"null":2}`, "put the unquoted key true in quotes"},
	}
	for _, tt := range tests {
		got, reps, err := lenient.ParseRepairs([]byte(tt.in))
		if err != nil || string(got) != tt.want {
			t.Errorf("Parse(%q) = %s, %v; want %s", tt.in, got, err, tt.want)
			continue
		}
		var all []string
		for _, r := range reps {
			all = append(all, r.String())
		}
		if !strings.Contains(strings.Join(all, "; "), tt.repair) {
			t.Errorf("Parse(%q) repairs %q; want one %q", tt.in, all, tt.repair)
		}
	}
}

func TestParseRepairs(t *testing.T) {
	in := "{\n\"a\": 1\n\"b\": [2,],\n}"
	_, reps, err := lenient.ParseRepairs([]byte(in))
	want := []string{"3:1: inserted a missing ','", "3:8: removed a trailing ','", "3:10: removed a trailing ','"}
	var got []string
	for _, r := range reps {
		got = append(got, r.String())
	}
	if err != nil || strings.Join(got, "; ") != strings.Join(want, "; ") {
		t.Errorf("ParseRepairs(%q) = %q, %v; want %q", in, got, err, want)
	}
}

// TestParseStrictUnchanged checks that strict JSON comes out as json.Compact makes it.
func TestParseStrictUnchanged(t *testing.T) {
	for _, in := range []string{
		`{"a": {"b": [1, 2.50, -3e5, "x\"y", null, true]}, "c": "//not a comment"}`,
		`"{not an object}"`, `[]`, ` 0 `, `{"a": "\u2028 \ud83d\ude00"}`,
	} {
		var want bytes.Buffer
		if err := json.Compact(&want, []byte(in)); err != nil {
			t.Fatal(err)
		}
		if got, err := lenient.Parse([]byte(in)); err != nil || !bytes.Equal(got, want.Bytes()) {
			t.Errorf("Parse(%q) = %s, %v; want %s", in, got, err, want.Bytes())
		}
	}
}

// TestParseSeeds reads doc samples copied from the vendors' pages as written and compares the
// strict JSON and the repairs with testdata/*.golden (regenerate with -update).
func TestParseSeeds(t *testing.T) {
	files, err := filepath.Glob("testdata/*.txt")
	if err != nil || len(files) == 0 {
		t.Fatalf("no samples in testdata: %v", err)
	}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".txt")
		t.Run(name, func(t *testing.T) {
			in, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			out, reps, err := lenient.ParseRepairs(in)
			if err != nil {
				t.Fatalf("Parse(%s) = %v; want no error", f, err)
			}
			if !json.Valid(out) {
				t.Fatalf("Parse(%s) = %s; not valid JSON", f, out)
			}
			var got bytes.Buffer
			got.Write(out)
			got.WriteByte('\n')
			for _, r := range reps {
				got.WriteString(r.String() + "\n")
			}
			golden := strings.TrimSuffix(f, ".txt") + ".golden"
			if *update {
				if err := os.WriteFile(golden, got.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if !bytes.Equal(got.Bytes(), want) {
				t.Errorf("Parse(%s) =\n%s\nwant\n%s", f, got.Bytes(), want)
			}
		})
	}
}

// TestParseBrokenPageSample: Closer's published legacy sample closes one brace too many; the
// error names the line and column of the comma after the value ends.
func TestParseBrokenPageSample(t *testing.T) {
	in, err := os.ReadFile("testdata/broken/closer_legacy_created_page.txt")
	if err != nil {
		t.Fatal(err)
	}
	_, err = lenient.Parse(in)
	var e *lenient.Error
	if !errors.As(err, &e) || e.Line != 37 || e.Col != 4 || !strings.Contains(e.Msg, "after the end of the value") {
		t.Errorf("Parse(Closer's page sample) = %v; want 37:4: … after the end of the value", err)
	}
}
