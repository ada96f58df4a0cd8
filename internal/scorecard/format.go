package scorecard

import (
	"math"
	"strconv"
	"strings"
	"time"
)

// formatValue writes v in the KPI's unit the way a business reader expects it: ratios as
// percentages, money with its symbol and thousands separators, seconds as durations. decimals
// is the KPI's dashboard.decimals, or -1 to choose.
func formatValue(v float64, unit string, decimals int) string {
	switch {
	case math.IsNaN(v):
		return "NaN"
	case math.IsInf(v, 1):
		return "+Inf"
	case math.IsInf(v, -1):
		return "-Inf"
	}
	switch unit {
	case "ratio":
		return percent(v*100, decimals)
	case "percent":
		return percent(v, decimals)
	case "dollars":
		return money("$", v, decimals)
	case "euros":
		return money("€", v, decimals)
	case "pounds":
		return money("£", v, decimals)
	case "seconds":
		return duration(v)
	case "days":
		s := number(v, pick(decimals, 1))
		if s == "1" {
			return "1 day"
		}
		return s + " days"
	case "bytes":
		return byteSize(v)
	default:
		return plain(v, decimals)
	}
}

// percent shows two decimals under 10% (8.98%), one above (67.8%), none from 1000% up.
func percent(v float64, decimals int) string {
	def := 0
	switch a := math.Abs(v); {
	case a < 10:
		def = 2
	case a < 1000:
		def = 1
	}
	return number(v, pick(decimals, def)) + "%"
}

// pick returns the KPI's decimals when set, else def.
func pick(decimals, def int) int {
	if decimals >= 0 {
		return decimals
	}
	return def
}

// plain formats counts, scores and unitless numbers: separators, at most two decimals, compact
// from ten million up.
func plain(v float64, decimals int) string {
	if decimals < 0 && math.Abs(v) >= 1e7 {
		return compact(v)
	}
	return number(v, pick(decimals, 2))
}

// money puts the currency symbol before the amount (after the sign): -$1,200.
func money(symbol string, v float64, decimals int) string {
	sign := ""
	if v < 0 {
		sign, v = "-", -v
	}
	var s string
	switch {
	case decimals < 0 && v >= 1e6:
		s = compact(v)
	case decimals < 0 && v >= 1000:
		s = number(v, 0)
	default:
		s = number(v, pick(decimals, 2))
	}
	return sign + symbol + s
}

// compact writes large numbers with a suffix and three significant digits: 12.3M, 4.56B.
func compact(v float64) string {
	a := math.Abs(v)
	for _, u := range []struct {
		size   float64
		suffix string
	}{{1e12, "T"}, {1e9, "B"}, {1e6, "M"}, {1e3, "k"}} {
		if a >= u.size {
			return strconv.FormatFloat(roundSig(v/u.size, 3), 'f', -1, 64) + u.suffix
		}
	}
	return number(v, 2)
}

func roundSig(v float64, digits int) float64 {
	if v == 0 {
		return 0
	}
	scale := math.Pow(10, float64(digits-1-int(math.Floor(math.Log10(math.Abs(v))))))
	return math.Round(v*scale) / scale
}

// number rounds v to at most decimals places, drops trailing zeros and groups thousands.
func number(v float64, decimals int) string {
	s := strconv.FormatFloat(v, 'f', decimals, 64)
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	if s == "-0" {
		s = "0"
	}
	return group(s)
}

// group inserts thousands separators into the integer part of a formatted number.
func group(s string) string {
	sign := ""
	if strings.HasPrefix(s, "-") {
		sign, s = "-", s[1:]
	}
	intPart, frac, hasFrac := strings.Cut(s, ".")
	var b strings.Builder
	for i, r := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if hasFrac {
		b.WriteString("." + frac)
	}
	return sign + b.String()
}

// duration writes seconds the way people say them: 850ms, 4.2s, 12m 30s, 3h 20m, 2d 4h.
func duration(v float64) string {
	sign := ""
	if v < 0 {
		sign, v = "-", -v
	}
	switch {
	case v == 0:
		return "0s"
	case v < 1:
		return sign + number(v*1000, 0) + "ms"
	case v < 10:
		return sign + number(v, 1) + "s"
	case v < 60:
		return sign + number(v, 0) + "s"
	}
	d := time.Duration(math.Round(v)) * time.Second
	units := []struct {
		size time.Duration
		name string
	}{{24 * time.Hour, "d"}, {time.Hour, "h"}, {time.Minute, "m"}, {time.Second, "s"}}
	for i, u := range units[:3] {
		if d >= u.size {
			first, rest := d/u.size, (d%u.size)/units[i+1].size
			if rest == 0 {
				return sign + strconv.FormatInt(int64(first), 10) + u.name
			}
			return sign + strconv.FormatInt(int64(first), 10) + u.name + " " + strconv.FormatInt(int64(rest), 10) + units[i+1].name
		}
	}
	return sign + number(v, 0) + "s"
}

// byteSize writes sizes in binary units: 512 B, 1.5 KiB, 20 GiB.
func byteSize(v float64) string {
	a := math.Abs(v)
	for i, u := range []string{"PiB", "TiB", "GiB", "MiB", "KiB"} {
		size := math.Pow(1024, float64(5-i))
		if a >= size {
			return number(v/size, 1) + " " + u
		}
	}
	return number(v, 0) + " B"
}
