package decode_test

import (
	"fmt"
	"testing"

	"hooklens/backend/decode"
)

func TestCheck(t *testing.T) {
	tests := []struct {
		name, body string
		want       []string // "code path", in order
	}{
		{"Clean", `{"kind":"created","id":3,"data":{"name":"x","color":"red","tags":["a"],"items":[{"n":1}],"when":null}}`, nil},
		{"UnknownTopLevel", `{"kind":"created","data":{"name":"x"},"zzz":{"deep":{"er":1}}}`, []string{"unknown_field zzz"}},
		{"UnknownNested", `{"kind":"created","data":{"name":"x","items":[{"n":1},{"n":2,"q":{"r":1}}]}}`, []string{"unknown_field data.items[1].q"}},
		{"Missing", `{"kind":"created"}`, []string{"missing_required data"}},
		{"MissingNested", `{"kind":"created","data":{"items":[{"n":1},{}]}}`, []string{"missing_required data.items[1].n", "missing_required data.name"}},
		{"WrongType", `{"kind":"created","id":1.5,"data":{"name":7}}`, []string{"wrong_type data.name", "wrong_type id"}},
		{"IntegerVsNumber", `{"kind":"created","id":2,"data":{"name":"x","size":2}}`, nil},
		{"Union", `{"kind":"created","data":{"name":"x","when":true}}`, []string{"wrong_type data.when"}},
		{"WrongTypeNoDescent", `{"kind":"created","data":[{"name":1}]}`, []string{"wrong_type data"}},
		{"Enum", `{"kind":"created","data":{"name":"x","color":"green","tags":["a","c"]}}`, []string{"unknown_enum data.color", "unknown_enum data.tags[1]"}},
		{"Open", `{"kind":"created","data":{"name":"x","extra":{"any":{"thing":[1]}}}}`, nil},
		{"Star", `{"kind":"created","data":{"name":"x","props":{"p1":"v","p2":3}}}`, []string{"wrong_type data.props.p2"}},
		{"UntypedArrayElements", `{"kind":"created","data":{"name":"x","tags":[]}}`, nil},
		{"UnknownEventCommonOnly", `{"kind":"nope","id":"x","data":1}`, []string{"unknown_field data", "wrong_type id"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := decode.ParseJSON([]byte(tt.body))
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, f := range decode.Check(fakeCatalog, decode.Str(doc, "kind"), doc) {
				got = append(got, f.Code+" "+f.Path)
				if f.Reason == "" {
					t.Errorf("Check(%q) flag %s has no reason", tt.body, f.Path)
				}
			}
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("Check(%q) = %v; want %v", tt.body, got, tt.want)
			}
		})
	}
}

func TestCheckNil(t *testing.T) {
	if got := decode.Check(nil, "x", map[string]any{"a": 1}); got != nil {
		t.Errorf("Check(nil catalog) = %v; want nil", got)
	}
	if got := decode.Check(fakeCatalog, "created", nil); len(got) != 0 {
		t.Errorf("Check(nil doc) = %v; want none", got)
	}
}
