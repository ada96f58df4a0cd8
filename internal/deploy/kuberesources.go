package deploy

import (
	"bytes"
	"encoding/json"
	"fmt"
	"path"
	"strings"

	"github.com/kpic/kpic/internal/definition"
	"github.com/kpic/kpic/internal/output"
	"github.com/kpic/kpic/internal/parallel"
)

// prometheusRules wraps each rule file's groups in a prometheus-operator PrometheusRule.
func prometheusRules(s *splices, rules []ruleFile) []object {
	out := make([]object, 0, len(rules))
	for _, rf := range rules {
		name := dnsName(rf.name)
		if !strings.HasPrefix(name, appName) {
			name = appName + "-" + name
		}
		var groups any = rf.groups
		if v := s.ruleGroups(rf.body); v != nil {
			groups = v
		}
		out = append(out, object{
			APIVersion: "monitoring.coreos.com/v1", Kind: "PrometheusRule",
			Metadata: meta{Name: name, Labels: appLabels()},
			Spec:     map[string]any{"groups": groups},
		})
	}
	return out
}

// dashboard is one generated dashboard as the Kubernetes resources name it.
type dashboard struct {
	name, key string
	path      string // the file under dashboards/
	json      blockText
}

// configMapLimit is the most Kubernetes lets a ConfigMap hold, its values' sizes summed.
const configMapLimit = 1 << 20

// dashboards are the dashboard files as ConfigMaps carry them: compacted, one line each. The
// files under dashboards/ are indented for review, which nearly doubles them (75 MB against
// 42 MB for 10,000 KPIs) and would push a team's dashboard of 1,000 KPIs over the 1 MiB
// Kubernetes allows a ConfigMap. Grafana reads both the same.
func dashboards(files []output.File) []dashboard {
	out := make([]dashboard, len(files))
	// compacting reads every byte, the 75 MB of JSON of 10,000 KPIs, so on every core.
	parallel.Each(len(files), func(i int) {
		rel := strings.TrimPrefix(files[i].Path, dashboardsDir)
		name := "kpic-dashboard-" + dnsName(strings.TrimSuffix(rel, path.Ext(rel)))
		out[i] = dashboard{name: name, key: flatKey(rel), path: files[i].Path, json: newBlockText(compactJSON(files[i].Data))}
	})
	return out
}

// compactJSON returns data without its insignificant white space and with one final line
// break (so it is written as a literal block), or data itself when it is not JSON.
func compactJSON(data []byte) []byte {
	b := bytes.NewBuffer(make([]byte, 0, len(data)/2+1))
	if err := json.Compact(b, data); err != nil {
		return data
	}
	b.WriteByte('\n')
	return b.Bytes()
}

// grafanaFolder is the Grafana folder dashboards go to: settings.grafana.folder, or KPIs.
func grafanaFolder(m *definition.Model) string {
	if m.Settings.Grafana.Folder != "" {
		return m.Settings.Grafana.Folder
	}
	return "KPIs"
}

// dashboardConfigMaps are what the Grafana sidecar (k8s-sidecar, as in the grafana Helm chart)
// loads: ConfigMaps labelled grafana_dashboard, filed by the grafana_folder annotation.
func dashboardConfigMaps(s *splices, m *definition.Model, boards []dashboard, warn func(string)) ([]any, error) {
	values := make([][]string, len(boards))
	for i, d := range boards {
		if n := len(d.json.text); n > configMapLimit {
			warn(fmt.Sprintf("%s is %.2f MiB even compacted, over the 1 MiB Kubernetes allows a ConfigMap: "+
				"the API server will refuse ConfigMap %s of %s; spread its KPIs over more teams or objectives, "+
				"or load that dashboard into Grafana from %s instead", d.path, float64(n)/(1<<20), d.name, baseDir+"dashboards.yaml", d.path))
		}
		literal, _ := s.literal(d.json).(string)
		values[i] = []string{d.name, d.key, literal}
	}
	return stamped(func(v ...string) any {
		labels := appLabels()
		labels[sidecarLabel] = "1"
		return object{
			APIVersion: "v1", Kind: "ConfigMap",
			Metadata: meta{Name: v[0], Labels: labels, Annotations: map[string]string{"grafana_folder": grafanaFolder(m)}},
			Data:     map[string]any{v[1]: v[2]},
		}
	}, values)
}

// grafanaOperatorOverlay adds a grafana-operator GrafanaDashboard for each dashboard of the
// base, for clusters where the operator runs Grafana. Each reads its dashboard from the base's
// ConfigMap (configMapRef) rather than holding the JSON a second time, and one patch takes the
// sidecar's label off those ConfigMaps, so a sidecar, if any, does not load them too.
func grafanaOperatorOverlay(m *definition.Model, boards []dashboard) ([]output.File, error) {
	const dir = kubeDir + "overlays/grafana-operator/"
	k := kustomization{APIVersion: kustomizeAPI, Kind: "Kustomization", Resources: []string{"../../base"}}
	values := make([][]string, len(boards))
	for i, d := range boards {
		values[i] = []string{d.name, d.key}
	}
	docs, err := stamped(func(v ...string) any { return grafanaDashboard(m, dashboard{name: v[0], key: v[1]}) }, values)
	if err != nil {
		return nil, err
	}
	var out []output.File
	if len(docs) > 0 {
		k.Resources = append(k.Resources, "grafanadashboards.yaml")
		k.Patches = []patch{{Target: &patchTarget{Kind: "ConfigMap", LabelSelector: sidecarLabel + "=1"},
			Patch: `[{"op": "remove", "path": "/metadata/labels/` + sidecarLabel + `"}]`}}
		data, err := marshal(generatedHeader, docs...)
		if err != nil {
			return nil, err
		}
		out = append(out, output.File{Path: dir + "grafanadashboards.yaml", Data: data})
	}
	data, err := marshal(generatedHeader+"# Apply with: kubectl apply -k deploy/kubernetes/overlays/grafana-operator\n", k)
	return append(out, output.File{Path: dir + "kustomization.yaml", Data: data}), err
}

// sidecarLabel is the label the Grafana sidecar loads dashboard ConfigMaps by.
const sidecarLabel = "grafana_dashboard"

// grafanaInstanceLabels select the Grafana instances of grafana-operator that get the dashboards.
func grafanaInstanceLabels() map[string]string { return map[string]string{"dashboards": "grafana"} }

func grafanaDashboard(m *definition.Model, d dashboard) object {
	return object{
		APIVersion: "grafana.integreatly.org/v1beta1", Kind: "GrafanaDashboard",
		Metadata: meta{Name: d.name, Labels: appLabels()},
		Spec: map[string]any{
			"instanceSelector": labelSelector{MatchLabels: grafanaInstanceLabels()},
			"folder":           grafanaFolder(m),
			"configMapRef":     secretKeyRef{Name: d.name, Key: d.key},
		},
	}
}
