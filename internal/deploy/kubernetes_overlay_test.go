package deploy

import (
	"encoding/json"
	"testing"

	monv1alpha1 "github.com/prometheus-operator/prometheus-operator/pkg/apis/monitoring/v1alpha1"
	corev1 "k8s.io/api/core/v1"
)

func TestGrafanaOperatorOverlayLoadsTheDashboardConfigMaps(t *testing.T) {
	rs := kustomizeBuild(t, buildSmall(t, ""), "deploy/kubernetes/overlays/grafana-operator")
	configMaps := map[string]*corev1.ConfigMap{}
	for _, r := range byKind(rs, "ConfigMap") {
		cm := r.obj.(*corev1.ConfigMap)
		configMaps[r.name] = cm
		if cm.Labels["grafana_dashboard"] != "" {
			t.Errorf("overlay leaves %s labelled for the sidecar", r.name)
		}
	}
	gds := byKind(rs, "GrafanaDashboard")
	if len(gds) != 2 {
		t.Fatalf("%d GrafanaDashboards, want 2: %s", len(gds), kinds(rs))
	}
	for _, r := range gds {
		gd := r.obj.(*grafanaDashboardV1beta1)
		ref := gd.Spec.ConfigMapRef
		cm, ok := configMaps[ref.Name]
		if !ok {
			t.Errorf("%s: configMapRef names %s, which the overlay does not render", r.name, ref.Name)
			continue
		}
		var dash map[string]any
		if err := json.Unmarshal([]byte(cm.Data[ref.Key]), &dash); err != nil || dash["uid"] == nil {
			t.Errorf("%s: key %s of %s is not the dashboard: %v", r.name, ref.Key, ref.Name, err)
		}
		if gd.Spec.Folder != "KPIs" || len(gd.Spec.InstanceSelector.MatchLabels) == 0 {
			t.Errorf("%s: folder %q, instance selector %v", r.name, gd.Spec.Folder, gd.Spec.InstanceSelector.MatchLabels)
		}
	}
	if len(byKind(rs, "Deployment")) != 1 || len(byKind(rs, "PrometheusRule")) != 2 {
		t.Errorf("overlay lost base resources: %s", kinds(rs))
	}
}

func TestAlertmanagerConfigResourceRoutesTeamsToTheirChannels(t *testing.T) {
	rs := kustomizeBuild(t, buildSmall(t, ""), "deploy/kubernetes/base")
	amc := byKind(rs, "AlertmanagerConfig")[0].obj.(*monv1alpha1.AlertmanagerConfig)
	if err := amc.Spec.Route.Matchers[0]; err.Name != "kpi" || err.MatchType != monv1alpha1.MatchRegexp {
		t.Errorf("top route matches %+v, want kpi=~.+", err)
	}
	routes, err := amc.Spec.Route.ChildRoutes()
	if err != nil || len(routes) != 3 {
		t.Fatalf("child routes %v (%v), want one per team with a channel", routes, err)
	}
	channels := map[string]string{}
	for _, r := range amc.Spec.Receivers {
		for _, s := range r.SlackConfigs {
			if s.APIURL == nil || s.APIURL.Name != SlackSecret || !*s.SendResolved {
				t.Errorf("receiver %s: webhook from %+v, send resolved %v", r.Name, s.APIURL, s.SendResolved)
			}
			if s.Channel != nil {
				channels[r.Name] = *s.Channel
			}
		}
	}
	for _, r := range routes {
		if channels[r.Receiver] == "" {
			t.Errorf("route to %s has no Slack channel", r.Receiver)
		}
	}
	if len(amc.Spec.InhibitRules) != 1 || amc.Spec.InhibitRules[0].Equal[0] != "kpi" {
		t.Errorf("inhibit rules %+v", amc.Spec.InhibitRules)
	}
}
