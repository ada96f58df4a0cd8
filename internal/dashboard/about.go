package dashboard

import (
	"github.com/grafana-tools/sdk"
)

// about shows the selected KPI's definition: title, description, objective, owner, unit,
// direction and runbook. Grafana panels cannot switch text with a variable, so the table reads
// kpi:info and maps each KPI's name to its description and runbook with value mappings.
func about(m *model) *sdk.Panel {
	info := m.sel("kpi:info", kpiVar)
	if len(m.KPIs) > maxEmbeddedKPIs {
		return newPanel("table", "About this KPI", "The KPI's definition, from the labels of kpi:info; "+
			"its description is on its scorecard tile and its runbook on its alerts.",
			[]query{{Expr: info, Instant: true, Table: true}}, object{
				"options":         object{"frameIndex": 0, "showHeader": true, "cellHeight": "md"},
				"fieldConfig":     fieldConfig(object{"custom": object{"align": "auto", "inspect": false}}),
				"transformations": []any{aboutColumns(false)},
			})
	}
	expr := `label_replace(label_replace(` + info + `, "description", "description:$1", "kpi", "(.+)"), "runbook", "runbook:$1", "kpi", "(.+)")`
	defaults := object{"mappings": []any{definitionMapping(m)},
		"custom": object{"align": "auto", "inspect": false}}
	return newPanel("table", "About this KPI", "The KPI's definition, from kpis/ and the labels of kpi:info.",
		[]query{{Expr: expr, Instant: true, Table: true}}, object{
			"options":         object{"frameIndex": 0, "showHeader": true, "cellHeight": "md"},
			"fieldConfig":     fieldConfig(defaults),
			"transformations": []any{aboutColumns(true)},
		})
}

// definitionMapping maps description:<kpi> and runbook:<kpi> to the KPI's texts.
func definitionMapping(m *model) object {
	opts := object{}
	for i, k := range m.KPIs {
		desc, runbook := k.Description, k.Alert.Runbook
		if desc == "" {
			desc = k.Title
		}
		if runbook == "" {
			runbook = "none"
		}
		opts["description:"+k.Name] = object{"text": desc, "index": 2 * i}
		opts["runbook:"+k.Name] = object{"text": runbook, "index": 2*i + 1}
	}
	return object{"type": "value", "options": opts}
}

// aboutColumns keeps, orders and names the definition's columns; texts adds the description
// and runbook, which only the value mappings of models up to maxEmbeddedKPIs provide.
func aboutColumns(texts bool) object {
	cols := []string{"title", "description", "objective", "owner", "unit", "direction", "runbook"}
	names := []string{"KPI", "Description", "Objective", "Owner", "Unit", "Better when", "Runbook"}
	if !texts {
		cols = []string{"title", "objective", "owner", "unit", "direction"}
		names = []string{"KPI", "Objective", "Owner", "Unit", "Better when"}
	}
	include, index, rename := object{}, object{}, object{}
	for i, c := range cols {
		include[c] = true
		index[c] = i
		rename[c] = names[i]
	}
	return object{"id": "organize", "options": object{"includeByName": include, "indexByName": index, "renameByName": rename}}
}

// reading explains the lines and colours of the detail dashboard.
func reading() *sdk.Panel {
	return textPanel("How to read this dashboard", "What the lines and colours mean.",
		"**Status** is green when the KPI meets today's target, amber between the target and the critical bound, "+
			"red beyond it.\n\n**Target** is dashed: a ramp target rises or falls in a straight line across the "+
			"objective's period. **Critical** is dotted red. **Forecast** projects the value to the end of the period "+
			"from its recent trend; a forecast that misses the final target means the KPI is at risk.\n\n"+
			"**Previous period** is the same curve one time range earlier.")
}
