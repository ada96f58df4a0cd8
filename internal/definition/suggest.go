package definition

import (
	"fmt"
	"strings"
)

// DidYouMean returns `; did you mean "x"?` for the candidate closest to s, or "" when none is
// close enough to be a likely typo; other loaders (kpic test files) suggest names the same way.
func DidYouMean(s string, candidates []string) string { return didYouMean(s, candidates) }

// didYouMean returns `; did you mean "x"?` for the candidate closest to s, or "" when none is
// close enough to be a likely typo.
func didYouMean(s string, candidates []string) string {
	if best := nearest(s, candidates); best != "" {
		return fmt.Sprintf("; did you mean %q?", best)
	}
	return ""
}

// nearest returns the candidate with the smallest edit distance to s within a typo's reach,
// preferring the alphabetically first on ties so messages are stable.
func nearest(s string, candidates []string) string {
	best, bestDist := "", typoLimit(s)+1
	if len(s) > 100 {
		return ""
	}
	for _, c := range candidates {
		if abs(len(c)-len(s)) >= bestDist {
			continue
		}
		dist := editDistance(strings.ToLower(s), strings.ToLower(c))
		if c != s && (dist < bestDist || dist == bestDist && c < best) {
			best, bestDist = c, dist
		}
	}
	return best
}

// typoLimit is how many edits still look like a typo of s rather than another word.
func typoLimit(s string) int {
	switch {
	case len(s) <= 3:
		return 1
	case len(s) <= 8:
		return 2
	default:
		return len(s)/4 + 1
	}
}

// editDistance is the optimal string alignment distance: insertions, deletions, substitutions
// and transpositions of neighbours ("qurey" is one edit from "query").
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev2 := make([]int, len(rb)+1)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(rb)]
}

// joinOr lists words as "a, b or c".
func joinOr(words []string) string {
	if len(words) <= 1 {
		return strings.Join(words, "")
	}
	return strings.Join(words[:len(words)-1], ", ") + " or " + words[len(words)-1]
}

// joinAnd lists words as "a, b and c".
func joinAnd(words []string) string {
	if len(words) <= 1 {
		return strings.Join(words, "")
	}
	return strings.Join(words[:len(words)-1], ", ") + " and " + words[len(words)-1]
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// Nearest returns the candidate a mistyped s most likely meant, or "" when none is close.
func Nearest(s string, candidates []string) string { return nearest(s, candidates) }
