package starter

import (
	"fmt"
	"strings"
)

// SchemaFile is the JSON Schema written beside the definitions, which their modelines name.
const SchemaFile = "kpic.schema.json"

// modeline points the YAML language server (VS Code and other editors) at the schema.
const modeline = "# yaml-language-server: $schema=" + SchemaFile + "\n"

// textFiles are the starter's definitions, its test file and the schema.
func textFiles(dir string, opts Options) []file {
	return []file{
		{"settings.yaml", []byte(modeline + fmt.Sprintf(settingsYAML, yamlQuote(DSN(dir))))},
		{"revenue.yaml", []byte(modeline + fmt.Sprintf(revenueYAML, opts.Year, opts.Year, opts.Year))},
		{"revenue_test.yaml", []byte(testYAML)},
		{SchemaFile, opts.Schema},
	}
}

// yamlQuote writes s as a single-quoted YAML string.
func yamlQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

const settingsYAML = `# Written by kpic init. Every *.yaml file of this folder is merged into one model; kpic check
# validates it, kpic build compiles it, kpic serve exports its SQL metrics.
settings:
  namespace: business            # exported gauges are business_<name>
  default_interval: 1m

sources:
  - name: example
    driver: sqlite
    # The example database kpic init seeded, relative to where kpic runs. For your warehouse:
    # driver: postgres, and dsn: ${WAREHOUSE_DSN} (expanded from the environment; never a password).
    dsn: %s

teams:
  - name: growth
    title: Growth
    slack_channel: "#growth-kpis"  # quoted: # starts a YAML comment
`

const revenueYAML = `# An objective, the metrics that explain it and the KPIs that measure it.
objectives:
  - name: grow_revenue
    title: Grow recurring revenue 50%% in %d
    owner: growth
    period: {start: %d-01-01, end: %d-12-31}

metrics:
  - name: customers
    help: Customers, active or cancelled, by plan.
    owner: growth
    unit: count
    source: example
    labels: [plan]               # result columns that become labels; the column value is the sample
    query: SELECT plan, count(*) AS value FROM customers GROUP BY plan
  - name: cancelled_customers
    help: Customers who cancelled, by plan.
    owner: growth
    unit: count
    source: example
    labels: [plan]
    query: SELECT plan, count(*) AS value FROM customers WHERE status = 'cancelled' GROUP BY plan

kpis:
  - name: churn_ratio
    title: Customer churn
    description: Share of customers who cancelled.
    objective: grow_revenue
    owner: growth
    unit: ratio
    ratio: {numerator: cancelled_customers, denominator: customers}   # sum / sum
    target: {direction: lower, value: 0.05}
    critical: 0.1                # beyond this the KPI is red
    supporting: [cancelled_customers, customers]
  - name: mrr_dollars
    title: Monthly recurring revenue
    objective: grow_revenue
    owner: growth
    unit: dollars
    source: example              # a KPI computed by SQL directly
    query: SELECT sum(monthly_price) AS value FROM customers WHERE status = 'active'
    target: {direction: higher, from: 1000, to: 1500}   # a ramp across the objective's period
    critical: 800
    supporting: [customers]
    alert: {for: 30m}
`

// testYAML is a kpic test file for the starter's KPIs; kpic test runs it on the generated rules.
const testYAML = `# kpic test runs this file on the generated rules; series are metrics by their names.
tests:
  - name: churn turns red beyond its critical bound
    interval: 1m
    series:
      - metric: customers
        labels: {plan: basic}
        values: "40x60"
      - metric: cancelled_customers
        labels: {plan: basic}
        values: "1x30 6x30"
    expect:
      - at: 10m
        kpi: churn_ratio
        value: 0.025
        status: green
        alerts: []                 # exactly the KPI's alerts firing at that instant
      - at: 50m
        kpi: churn_ratio
        value: 0.15
        status: red
        alerts: [KPICritical, KPIOffTarget]   # the warning fires too; Alertmanager inhibits it
  - name: MRR meets the start of its ramp
    interval: 1m
    series:
      - metric: mrr_dollars
        values: "1170x60"
    expect:
      - at: 30m
        kpi: mrr_dollars
        value: 1170
        status: green
`
