package cli

import (
	"strings"

	"github.com/spf13/cobra"

	"hooklens/backend/simulate"
)

// newCompletionCmd is `hooklens completion SHELL`.
func (m *Main) newCompletionCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "completion bash|zsh|fish|powershell",
		Short: "Print the shell completion script for bash, zsh, fish or PowerShell",
		Long: `Completion prints a script that makes the shell complete hooklens's commands, flags and
values (registry, scenarios, export formats, directories). Load it in the current shell, or
install it where the shell looks for completions.`,
		Example: `  # bash, this session; install: hooklens completion bash > /etc/bash_completion.d/hooklens
  source <(hooklens completion bash)

  # zsh (with compinit)
  hooklens completion zsh > "${fpath[1]}/_hooklens"

  # fish
  hooklens completion fish > ~/.config/fish/completions/hooklens.fish

  # PowerShell
  hooklens completion powershell | Out-String | Invoke-Expression`,
		ValidArgs:             []string{"bash", "zsh", "fish", "powershell"},
		DisableFlagsInUseLine: true,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usagef("completion: want one shell: bash, zsh, fish or powershell")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			root, out := cmd.Root(), m.Stdout
			switch args[0] {
			case "bash":
				return root.GenBashCompletionV2(out, true)
			case "zsh":
				return root.GenZshCompletion(out)
			case "fish":
				return root.GenFishCompletion(out, true)
			case "powershell":
				return root.GenPowerShellCompletionWithDesc(out)
			}
			return usagef("completion: unknown shell %q: want bash, zsh, fish or powershell", args[0])
		},
	}
}

// completeSecret completes --secret with "VENDOR=".
func completeSecret(cmd *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
	var out []string
	for _, v := range vendorNames() {
		out = append(out, v+"=")
	}
	return out, cobra.ShellCompDirectiveNoSpace | cobra.ShellCompDirectiveNoFileComp
}

// completeVendorSlash completes a VENDOR/ID reference with "VENDOR/".
func completeVendorSlash(cmd *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
	var out []string
	for _, v := range vendorNames() {
		out = append(out, v+"/")
	}
	return out, cobra.ShellCompDirectiveNoSpace | cobra.ShellCompDirectiveNoFileComp
}

// completeVendorPath completes import --path with the vendors' receiver paths.
func completeVendorPath(cmd *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
	out := []string{"/"}
	for _, v := range registry.Vendors() {
		if p := v.PathPrefix(); p != "" {
			out = append(out, p)
		}
	}
	return out, cobra.ShellCompDirectiveNoFileComp
}

// completeSimulate completes simulate's VENDOR (or all), then that vendor's SCENARIO.
func completeSimulate(cmd *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
	switch len(args) {
	case 0:
		return append(vendorNames(), "all"), cobra.ShellCompDirectiveNoFileComp
	case 1:
		var out []string
		seen := map[string]bool{}
		for _, sc := range simulate.Scenarios(registry) {
			switch vendor := strings.ToLower(args[0]); {
			case vendor == "all" && !seen[sc.Name]:
				seen[sc.Name] = true
				out = append(out, sc.Name)
			case vendor == sc.Vendor:
				out = append(out, sc.Name+"\t"+sc.Description)
			}
		}
		return out, cobra.ShellCompDirectiveNoFileComp
	}
	return nil, cobra.ShellCompDirectiveNoFileComp
}
