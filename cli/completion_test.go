package cli_test

import (
	"os/exec"
	"strings"
	"testing"
)

// bashComplete loads the binary's bash completion script in bash and returns what it offers
// for the words typed so far (the last one being completed). _get_comp_words_by_ref, which the
// bash-completion package provides, is given here in its simplest form.
func bashComplete(t *testing.T, words ...string) []string {
	t.Helper()
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("no bash")
	}
	script := `source <("$BIN" completion bash) || exit 1
_get_comp_words_by_ref() { cur=${COMP_WORDS[COMP_CWORD]}; prev=${COMP_WORDS[COMP_CWORD-1]}; words=("${COMP_WORDS[@]}"); cword=$COMP_CWORD; }
COMP_WORDS=("$BIN" "$@"); COMP_CWORD=$#; COMP_LINE="${COMP_WORDS[*]}"; COMP_POINT=${#COMP_LINE}
__start_hooklens 2>/dev/null
printf '%s\n' "${COMPREPLY[@]}"`
	cmd := exec.Command("bash", append([]string{"-c", script, "bash"}, words...)...)
	cmd.Env = append(cmd.Environ(), "BIN="+bin)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("bash completion of %q: %v", words, err)
	}
	return strings.Fields(string(out))
}

// TestCompletion_Bash: the generated bash script, driving `hooklens __complete`, completes
// commands, flags and flag values.
func TestCompletion_Bash(t *testing.T) {
	cases := []struct {
		words []string
		want  string
	}{
		{[]string{"sim"}, "simulate"},
		{[]string{"ex"}, "export"},
		{[]string{"export", "--for"}, "--format"},
		{[]string{"export", "--format", "nd"}, "ndjson"},
		{[]string{"serve", "--forw"}, "--forward-to"},
		{[]string{"replay", "--pace", "or"}, "original"},
		{[]string{"completion", "fi"}, "fish"},
	}
	for _, c := range cases {
		got := bashComplete(t, c.words...)
		if len(got) != 1 || got[0] != c.want {
			t.Errorf("bash completion of hooklens %s = %q; want [%s]", strings.Join(c.words, " "), got, c.want)
		}
	}
}
