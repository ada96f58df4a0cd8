package deploy

import (
	"encoding/json"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	monv1 "github.com/prometheus-operator/prometheus-operator/pkg/apis/monitoring/v1"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	policyv1 "k8s.io/api/policy/v1"

	"github.com/kpic/kpic/internal/output"
)

func TestKustomizeBaseRendersTheExporterRulesDashboardsAndRoutes(t *testing.T) {
	rs := kustomizeBuild(t, buildSmall(t, ""), "deploy/kubernetes/base")
	want := map[string]int{"Deployment": 1, "PodDisruptionBudget": 1, "Service": 1, "ServiceMonitor": 1, "PrometheusRule": 2,
		"AlertmanagerConfig": 1, "ConfigMap": 3}
	for kind, n := range want {
		if got := len(byKind(rs, kind)); got != n {
			t.Errorf("%d %s resources, want %d; rendered: %s", got, kind, n, kinds(rs))
		}
	}
	if len(rs) != 10 {
		t.Errorf("rendered %d resources, want 10: %s", len(rs), kinds(rs))
	}
}

func TestExporterRunsTwoReplicasOnDifferentNodesThroughDisruptions(t *testing.T) {
	rs := kustomizeBuild(t, buildSmall(t, ""), "deploy/kubernetes/base")
	d := byKind(rs, "Deployment")[0].obj.(*appsv1.Deployment)
	if d.Spec.Replicas == nil || *d.Spec.Replicas != 2 {
		t.Errorf("replicas %v, want 2", d.Spec.Replicas)
	}
	if ru := d.Spec.Strategy.RollingUpdate; ru == nil || ru.MaxUnavailable == nil || ru.MaxUnavailable.IntValue() != 0 {
		t.Errorf("rolling update %+v may take a replica down before its successor is ready", ru)
	}
	pod := d.Spec.Template.Spec
	if pod.Affinity == nil || pod.Affinity.PodAntiAffinity == nil {
		t.Fatal("no pod anti-affinity")
	}
	terms := pod.Affinity.PodAntiAffinity.PreferredDuringSchedulingIgnoredDuringExecution
	if len(terms) != 1 || terms[0].PodAffinityTerm.TopologyKey != "kubernetes.io/hostname" ||
		!matches(terms[0].PodAffinityTerm.LabelSelector.MatchLabels, d.Spec.Template.Labels) {
		t.Errorf("anti-affinity %+v does not keep the exporter's pods on different nodes", terms)
	}
	pdb := byKind(rs, "PodDisruptionBudget")[0].obj.(*policyv1.PodDisruptionBudget)
	if pdb.Spec.MaxUnavailable == nil || pdb.Spec.MaxUnavailable.IntValue() != 1 || pdb.Spec.MinAvailable != nil {
		t.Errorf("disruption budget %+v, want maxUnavailable 1", pdb.Spec)
	}
	if !matches(pdb.Spec.Selector.MatchLabels, d.Spec.Template.Labels) {
		t.Errorf("disruption budget selects %v, not the exporter's pods %v", pdb.Spec.Selector.MatchLabels, d.Spec.Template.Labels)
	}
}

// matches reports whether the labels satisfy every label of selector, and selector has some.
func matches(selector, labels map[string]string) bool {
	for k, v := range selector {
		if labels[k] != v {
			return false
		}
	}
	return len(selector) > 0
}

func TestDeploymentRunsHardenedAndReadsTheGeneratedConfigMap(t *testing.T) {
	rs := kustomizeBuild(t, buildSmall(t, ""), "deploy/kubernetes/base")
	d := byKind(rs, "Deployment")[0].obj.(*appsv1.Deployment)
	pod := d.Spec.Template.Spec
	c := pod.Containers[0]
	if pod.SecurityContext.RunAsNonRoot == nil || !*pod.SecurityContext.RunAsNonRoot {
		t.Error("pod may run as root")
	}
	if c.SecurityContext.ReadOnlyRootFilesystem == nil || !*c.SecurityContext.ReadOnlyRootFilesystem {
		t.Error("root filesystem is writable")
	}
	if c.LivenessProbe.HTTPGet.Path != "/-/healthy" || c.ReadinessProbe.HTTPGet.Path != "/-/ready" {
		t.Errorf("probes on %s and %s", c.LivenessProbe.HTTPGet.Path, c.ReadinessProbe.HTTPGet.Path)
	}
	if c.Resources.Requests.Memory().IsZero() || c.Resources.Requests.Cpu().IsZero() {
		t.Error("no resource requests")
	}
	if c.Image != Image+":latest" {
		t.Errorf("image %q, want the kustomization's %s:latest", c.Image, Image)
	}
	cm := generatedDefinitions(t, rs)
	if pod.Volumes[0].ConfigMap == nil || pod.Volumes[0].ConfigMap.Name != cm.Name {
		t.Errorf("definitions volume %+v does not name the generated ConfigMap %s", pod.Volumes[0], cm.Name)
	}
	if !strings.Contains(cm.Data["settings.yaml"], "${WAREHOUSE_DSN}") {
		t.Errorf("ConfigMap data %v lacks the definition files", cm.Data)
	}
}

// generatedDefinitions returns the ConfigMap kustomize generated from kpis/ (its name hashed).
func generatedDefinitions(t *testing.T, rs []rendered) *corev1.ConfigMap {
	t.Helper()
	for _, r := range byKind(rs, "ConfigMap") {
		if strings.HasPrefix(r.name, definitionsConfigMap+"-") {
			return r.obj.(*corev1.ConfigMap)
		}
	}
	t.Fatalf("no generated %s ConfigMap in %s", definitionsConfigMap, kinds(rs))
	return nil
}

func TestDeploymentTakesEachDSNVariableFromTheSecret(t *testing.T) {
	rs := kustomizeBuild(t, buildSmall(t, ""), "deploy/kubernetes/base")
	c := byKind(rs, "Deployment")[0].obj.(*appsv1.Deployment).Spec.Template.Spec.Containers[0]
	var names []string
	for _, e := range c.Env {
		ref := e.ValueFrom.SecretKeyRef
		if ref.Name != sourcesSecret || ref.Key != e.Name {
			t.Errorf("env %s comes from %s/%s", e.Name, ref.Name, ref.Key)
		}
		names = append(names, e.Name)
	}
	if want := []string{"WAREHOUSE_DSN", "REPLICA_PASSWORD", "REPLICA_DB"}; !slices.Equal(names, want) {
		t.Errorf("env vars %v, want %v (once each, in source order)", names, want)
	}
	mounts := c.VolumeMounts
	if last := mounts[len(mounts)-1]; last.MountPath != "/run/secrets/crm/dsn" || last.SubPath != "dsn" {
		t.Errorf("dsn_file mount %+v, want /run/secrets/crm/dsn from key dsn", last)
	}
}

func TestPrometheusRulesCarryTheGeneratedGroups(t *testing.T) {
	files := buildSmall(t, "")
	rs := kustomizeBuild(t, files, "deploy/kubernetes/base")
	var groups []string
	for _, r := range byKind(rs, "PrometheusRule") {
		for _, g := range r.obj.(*monv1.PrometheusRule).Spec.Groups {
			groups = append(groups, g.Name)
		}
	}
	slices.Sort(groups)
	if want := []string{"kpic_data", "kpic_mrr_dollars"}; !slices.Equal(groups, want) {
		t.Errorf("groups %v, want %v", groups, want)
	}
}

func TestDashboardConfigMapsAreLabelledForTheGrafanaSidecar(t *testing.T) {
	rs := kustomizeBuild(t, buildSmall(t, ""), "deploy/kubernetes/base")
	n := 0
	for _, r := range byKind(rs, "ConfigMap") {
		cm := r.obj.(*corev1.ConfigMap)
		if cm.Labels["grafana_dashboard"] != "1" {
			continue
		}
		n++
		if cm.Annotations["grafana_folder"] != "KPIs" || !strings.Contains(cm.Data[strings.TrimPrefix(cm.Name, "kpic-dashboard-")+".json"]+cm.Data["team_growth.json"], `"uid"`) {
			t.Errorf("dashboard ConfigMap %s: annotations %v, keys %v", cm.Name, cm.Annotations, keys(cm.Data))
		}
	}
	if n != 2 {
		t.Errorf("%d dashboard ConfigMaps, want 2", n)
	}
}

func keys(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

// TestDashboardConfigMapsHoldTheDashboardsCompacted checks that each ConfigMap, as kustomize
// renders it, holds its dashboard file's JSON value on one line (indentation would nearly
// double it, and a ConfigMap holds at most 1 MiB).
func TestDashboardConfigMapsHoldTheDashboardsCompacted(t *testing.T) {
	files := buildSmall(t, "")
	byKey := map[string][]byte{}
	for _, f := range readTree(t, filepath.Join("testdata", "small")) {
		if rel, ok := strings.CutPrefix(f.Path, dashboardsDir); ok {
			byKey[flatKey(rel)] = f.Data
		}
	}
	n := 0
	for _, r := range byKind(kustomizeBuild(t, files, "deploy/kubernetes/base"), "ConfigMap") {
		cm := r.obj.(*corev1.ConfigMap)
		if cm.Labels["grafana_dashboard"] != "1" {
			continue
		}
		for key, got := range cm.Data {
			n++
			file, ok := byKey[key]
			if !ok {
				t.Fatalf("ConfigMap %s key %s names no dashboard file", cm.Name, key)
			}
			if strings.Count(got, "\n") != 1 || len(got) >= len(file) {
				t.Errorf("ConfigMap %s: %d lines, %d bytes for a file of %d; want one compact line", cm.Name, strings.Count(got, "\n"), len(got), len(file))
			}
			var want, have any
			if err := json.Unmarshal(file, &want); err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal([]byte(got), &have); err != nil {
				t.Fatalf("ConfigMap %s: %v", cm.Name, err)
			}
			if !reflect.DeepEqual(want, have) {
				t.Errorf("ConfigMap %s holds another dashboard than dashboards/%s", cm.Name, key)
			}
		}
	}
	if n == 0 {
		t.Fatal("no dashboard ConfigMaps")
	}
}

// TestPackageWarnsOfADashboardTooLargeForItsConfigMap checks that a dashboard over 1 MiB even
// compacted is named in a warning with the ConfigMap the API server will refuse, that one
// within the limit (though over it indented) is not, and that the files are still written.
func TestPackageWarnsOfADashboardTooLargeForItsConfigMap(t *testing.T) {
	board := func(n int) []byte { // indented JSON whose compacted form is a little over n bytes
		return []byte("{\n    \"title\": \"big\",\n    \"description\": \"" + strings.Repeat("x", n) + "\"\n}\n")
	}
	indent := []byte(strings.Repeat("    \"a\": 1,\n", configMapLimit/10)) // over the limit only indented
	within := append(append([]byte("{\n"), indent...), []byte("    \"b\": 2\n}\n")...)
	in := Inputs{Definitions: readDefinitions(t), Dashboards: []output.File{
		{Path: dashboardsDir + "teams/huge.json", Data: board(configMapLimit)},
		{Path: dashboardsDir + "teams/fits.json", Data: within},
	}}
	var warnings []string
	in.Warn = func(w string) { warnings = append(warnings, w) }
	files, err := Package(smallModel(t, ""), in)
	if err != nil {
		t.Fatal(err)
	}
	if len(within) <= configMapLimit {
		t.Fatalf("the dashboard meant to fit only compacted is %d bytes indented", len(within))
	}
	if len(warnings) != 1 || !strings.Contains(warnings[0], "dashboards/teams/huge.json") ||
		!strings.Contains(warnings[0], "kpic-dashboard-teams-huge") || !strings.Contains(warnings[0], "1 MiB") {
		t.Errorf("warnings %q, want one naming dashboards/teams/huge.json, its ConfigMap and the 1 MiB limit", warnings)
	}
	if len(find(t, files, baseDir+"dashboards.yaml")) < configMapLimit {
		t.Error("dashboards.yaml lacks the large dashboard")
	}
}
