// Package kit holds what the benchmark programs share: statistics, result files, machine facts.
package kit

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"time"
)

// Median returns the median of xs, 0 when empty.
func Median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// Max returns the largest of xs, 0 when empty.
func Max(xs []float64) float64 {
	m := 0.0
	for _, x := range xs {
		m = max(m, x)
	}
	return m
}

// Percentile returns the p-th percentile (0..100, nearest rank) of sorted xs, 0 when empty.
func Percentile(sorted []float64, p float64) float64 {
	if len(sorted) == 0 {
		return 0
	}
	i := int(p/100*float64(len(sorted))+0.5) - 1
	i = max(0, min(i, len(sorted)-1))
	return sorted[i]
}

// DurationsMS returns ds in milliseconds, sorted.
func DurationsMS(ds []time.Duration) []float64 {
	out := make([]float64, len(ds))
	for i, d := range ds {
		out[i] = float64(d) / float64(time.Millisecond)
	}
	slices.Sort(out)
	return out
}

// Figure is one measured number of the suite.
type Figure struct {
	Value  *float64  `json:"value"`            // nil when not available
	Unit   string    `json:"unit"`             // "req/s", "ms", "MB", "MB/s", "ratio", "s", "x"
	Runs   []float64 `json:"runs,omitempty"`   // the runs Value is the median of
	Note   string    `json:"note,omitempty"`   // why it is missing, or what it measured
	Detail any       `json:"detail,omitempty"` // free-form extra facts
}

// Val returns a figure with value v.
func Val(v float64, unit string, runs []float64) Figure {
	return Figure{Value: &v, Unit: unit, Runs: runs}
}

// Missing returns a figure without a value, saying why.
func Missing(unit, why string) Figure { return Figure{Unit: unit, Note: why} }

// Part is what one program of the suite writes: figures by name.
type Part map[string]Figure

// WritePart writes p as JSON to path (creating its folder).
func WritePart(path string, p Part) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	buf, err := json.MarshalIndent(p, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(buf, '\n'), 0o644)
}

// ReadPart reads a part written by WritePart.
func ReadPart(path string) (Part, error) {
	buf, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var p Part
	return p, json.Unmarshal(buf, &p)
}

// Machine describes where the suite ran.
type Machine struct {
	NProc     int    `json:"nproc"`
	CPU       string `json:"cpu"`
	GoVersion string `json:"go_version"`
	OS        string `json:"os"`
	MemTotal  string `json:"mem_total"`
}

// ThisMachine returns the facts of the running machine.
func ThisMachine() Machine {
	m := Machine{NProc: runtime.NumCPU(), GoVersion: runtime.Version(), OS: runtime.GOOS + "/" + runtime.GOARCH}
	m.CPU = procField("/proc/cpuinfo", "model name")
	m.MemTotal = procField("/proc/meminfo", "MemTotal")
	return m
}

// ProcField returns the value of "name: value" in a /proc file such as /proc/PID/status.
func ProcField(path, name string) string { return procField(path, name) }

func procField(path, name string) string {
	f, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if ok && strings.TrimSpace(k) == name {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

// RSSMB returns the resident set (VmRSS) and its peak (VmHWM) of pid in MB, from /proc.
func RSSMB(pid int) (rss, hwm float64, err error) {
	path := fmt.Sprintf("/proc/%d/status", pid)
	var kb [2]float64
	for i, name := range []string{"VmRSS", "VmHWM"} {
		v := procField(path, name)
		if _, err := fmt.Sscanf(v, "%g kB", &kb[i]); err != nil {
			return 0, 0, fmt.Errorf("read %s of %s: %q", name, path, v)
		}
	}
	return kb[0] / 1024, kb[1] / 1024, nil
}

// Logf prints a progress line to stderr.
func Logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "bench: "+format+"\n", args...)
}
