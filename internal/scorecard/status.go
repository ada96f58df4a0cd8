package scorecard

import "html/template"

// status is a KPI's or objective's kpi:status: green, amber, red, or no data.
type status int

const (
	noData status = -1
	green  status = 0
	amber  status = 1
	red    status = 2
)

// statusOf reads a recorded status value; absent or out of range is no data.
func statusOf(v *float64) status {
	if v == nil {
		return noData
	}
	switch *v {
	case 0:
		return green
	case 1:
		return amber
	case 2:
		return red
	}
	return noData
}

// worse returns the worse of two statuses; no data never wins over a known status, as the
// rollup rules ignore KPIs without a status.
func worse(a, b status) status {
	if a > b {
		return a
	}
	return b
}

// Name is the data-status attribute value and the CSS class.
func (s status) Name() string {
	switch s {
	case green:
		return "green"
	case amber:
		return "amber"
	case red:
		return "red"
	}
	return "nodata"
}

// Word says the status without colour.
func (s status) Word() string {
	switch s {
	case green:
		return "On target"
	case amber:
		return "Off target"
	case red:
		return "Critical"
	}
	return "No data"
}

// Icon is a shape per status (check, triangle, octagon, question mark), so colour is never the
// only signal. It is decorative next to the word, hidden from screen readers.
func (s status) Icon() template.HTML {
	const open = `<svg class="icon" viewBox="0 0 16 16" width="16" height="16" aria-hidden="true" focusable="false">`
	switch s {
	case green:
		return open + `<circle cx="8" cy="8" r="7.5" fill="currentColor"/><path d="M4.5 8.2l2.3 2.3 4.7-4.9" fill="none" stroke="#fff" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round"/></svg>`
	case amber:
		return open + `<path d="M8 .8l7.4 13.6H.6z" fill="currentColor"/><path d="M8 5.4v4.2M8 11.6v.4" stroke="#000" stroke-width="1.8" stroke-linecap="round"/></svg>`
	case red:
		return open + `<path d="M5 .5h6L15.5 5v6L11 15.5H5L.5 11V5z" fill="currentColor"/><path d="M5.4 5.4l5.2 5.2M10.6 5.4l-5.2 5.2" stroke="#fff" stroke-width="1.8" stroke-linecap="round"/></svg>`
	}
	return open + `<circle cx="8" cy="8" r="7" fill="none" stroke="currentColor" stroke-width="1.5" stroke-dasharray="2.5 1.5"/><path d="M6 6.2a2 2 0 1 1 2.6 1.9c-.5.2-.6.5-.6 1v.5M8 11.6v.4" fill="none" stroke="currentColor" stroke-width="1.6" stroke-linecap="round"/></svg>`
}

// statuses lists the statuses in filter order.
var statuses = []status{red, amber, green, noData}
