package diff

// Pair is one step of an alignment: indexes into A and B, -1 on the side that lacks it.
type Pair struct {
	A int `json:"a"`
	B int `json:"b"`
}

// Align aligns two sequences on the longest common subsequence of their keys (strict keys: an
// event type with its actors' roles), then pairs, between two aligned steps, the remaining
// elements whose loose keys are equal (the same event type with other roles), in order. Each
// element of a and b appears in exactly one pair, in the order of both sequences; elements
// only in A come before elements only in B at the same place.
func Align(strictA, strictB, looseA, looseB []string) []Pair {
	// A common prefix and suffix align as they are: only the middle needs the quadratic table.
	pre := 0
	for pre < len(strictA) && pre < len(strictB) && strictA[pre] == strictB[pre] {
		pre++
	}
	suf := 0
	for suf < len(strictA)-pre && suf < len(strictB)-pre && strictA[len(strictA)-1-suf] == strictB[len(strictB)-1-suf] {
		suf++
	}
	out := make([]Pair, 0, max(len(strictA), len(strictB)))
	for i := 0; i < pre; i++ {
		out = append(out, Pair{A: i, B: i})
	}
	for _, p := range alignMiddle(strictA[pre:len(strictA)-suf], strictB[pre:len(strictB)-suf],
		shift(looseA, pre), shift(looseB, pre)) {
		if p.A >= 0 {
			p.A += pre
		}
		if p.B >= 0 {
			p.B += pre
		}
		out = append(out, p)
	}
	for k := suf; k > 0; k-- {
		out = append(out, Pair{A: len(strictA) - k, B: len(strictB) - k})
	}
	return out
}

func shift(keys []string, n int) []string {
	if n >= len(keys) {
		return nil
	}
	return keys[n:]
}

func alignMiddle(strictA, strictB, looseA, looseB []string) []Pair {
	n, m := len(strictA), len(strictB)
	// lcs[i][j] is the LCS length of strictA[i:] and strictB[j:].
	lcs := make([][]int32, n+1)
	for i := range lcs {
		lcs[i] = make([]int32, m+1)
	}
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			if strictA[i] == strictB[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	var out []Pair
	var onlyA, onlyB []int
	flush := func() {
		out = append(out, pairLoose(onlyA, onlyB, looseA, looseB)...)
		onlyA, onlyB = onlyA[:0], onlyB[:0]
	}
	i, j := 0, 0
	for i < n && j < m {
		switch {
		case strictA[i] == strictB[j]:
			flush()
			out = append(out, Pair{A: i, B: j})
			i, j = i+1, j+1
		case lcs[i+1][j] >= lcs[i][j+1]:
			onlyA = append(onlyA, i)
			i++
		default:
			onlyB = append(onlyB, j)
			j++
		}
	}
	for ; i < n; i++ {
		onlyA = append(onlyA, i)
	}
	for ; j < m; j++ {
		onlyB = append(onlyB, j)
	}
	flush()
	return out
}

// pairLoose pairs the unaligned elements of a gap whose loose keys match, in order (a small LCS
// of its own), and leaves the rest unpaired.
func pairLoose(as, bs []int, looseA, looseB []string) []Pair {
	key := func(keys []string, i int) string {
		if i < len(keys) {
			return keys[i]
		}
		return ""
	}
	n, m := len(as), len(bs)
	lcs := make([][]int32, n+1)
	for i := range lcs {
		lcs[i] = make([]int32, m+1)
	}
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			if ka := key(looseA, as[i]); ka != "" && ka == key(looseB, bs[j]) {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	var out []Pair
	i, j := 0, 0
	for i < n && j < m {
		switch {
		case key(looseA, as[i]) != "" && key(looseA, as[i]) == key(looseB, bs[j]):
			out = append(out, Pair{A: as[i], B: bs[j]})
			i, j = i+1, j+1
		case lcs[i+1][j] >= lcs[i][j+1]:
			out = append(out, Pair{A: as[i], B: -1})
			i++
		default:
			out = append(out, Pair{A: -1, B: bs[j]})
			j++
		}
	}
	for ; i < n; i++ {
		out = append(out, Pair{A: as[i], B: -1})
	}
	for ; j < m; j++ {
		out = append(out, Pair{A: -1, B: bs[j]})
	}
	return out
}
