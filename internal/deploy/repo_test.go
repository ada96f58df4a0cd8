package deploy

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// repoDeploy reads the deploy/ folder committed at the repository root (generated from the demo
// company's kpis/ by kpic build), or skips when it has not been generated.
func repoDeploy(t *testing.T) string {
	t.Helper()
	dir := filepath.Join("..", "..", "deploy")
	if _, err := os.Stat(filepath.Join(dir, "kubernetes", "base", "kustomization.yaml")); err != nil {
		t.Skipf("no generated deploy/ at the repository root (run make generate): %v", err)
	}
	return dir
}

func TestCommittedKubernetesFilesRenderStrictly(t *testing.T) {
	files := readTree(t, repoDeploy(t))
	for i := range files {
		files[i].Path = "deploy/" + files[i].Path
	}
	for _, dir := range []string{"deploy/kubernetes/base", "deploy/kubernetes/overlays/grafana-operator"} {
		rs := kustomizeBuild(t, files, dir)
		if len(byKind(rs, "Deployment")) != 1 || len(byKind(rs, "PrometheusRule")) == 0 {
			t.Errorf("%s renders %s", dir, kinds(rs))
		}
	}
}

func TestCommittedAlertmanagerConfigPassesAmtool(t *testing.T) {
	out := amtool(t, "check-config", filepath.Join(repoDeploy(t), "alertmanager", "alertmanager.yml"))
	if !strings.Contains(out, "SUCCESS") {
		t.Errorf("amtool check-config:\n%s", out)
	}
}
