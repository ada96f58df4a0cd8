package deploy

import (
	"fmt"
	"strings"
	"testing"

	monv1 "github.com/prometheus-operator/prometheus-operator/pkg/apis/monitoring/v1"
	monv1alpha1 "github.com/prometheus-operator/prometheus-operator/pkg/apis/monitoring/v1alpha1"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	policyv1 "k8s.io/api/policy/v1"
	"sigs.k8s.io/kustomize/api/krusty"
	"sigs.k8s.io/kustomize/kyaml/filesys"
	"sigs.k8s.io/yaml"

	"github.com/kpic/kpic/internal/output"
)

// rendered is one resource of a kustomize build, decoded strictly into its upstream type.
type rendered struct {
	kind, name string
	obj        any
}

// kustomizeBuild renders dir of the generated tree in memory, as `kustomize build dir` would.
func kustomizeBuild(t *testing.T, files []output.File, dir string) []rendered {
	t.Helper()
	fs := filesys.MakeFsInMemory()
	for _, f := range files {
		if err := fs.WriteFile("/repo/"+f.Path, f.Data); err != nil {
			t.Fatal(err)
		}
	}
	resources, err := krusty.MakeKustomizer(krusty.MakeDefaultOptions()).Run(fs, "/repo/"+dir)
	if err != nil {
		t.Fatalf("kustomize build %s: %v", dir, err)
	}
	var out []rendered
	for _, r := range resources.Resources() {
		data, err := r.AsYAML()
		if err != nil {
			t.Fatal(err)
		}
		obj, err := decodeStrict(r.GetKind(), data)
		if err != nil {
			t.Errorf("%s %s does not decode strictly: %v\n%s", r.GetKind(), r.GetName(), err, data)
		}
		out = append(out, rendered{kind: r.GetKind(), name: r.GetName(), obj: obj})
	}
	return out
}

// decodeStrict decodes a manifest into the upstream Go type of its kind, failing on any field
// the type does not know.
func decodeStrict(kind string, data []byte) (any, error) {
	targets := map[string]func() any{
		"Deployment":          func() any { return &appsv1.Deployment{} },
		"PodDisruptionBudget": func() any { return &policyv1.PodDisruptionBudget{} },
		"Service":             func() any { return &corev1.Service{} },
		"ConfigMap":           func() any { return &corev1.ConfigMap{} },
		"ServiceMonitor":      func() any { return &monv1.ServiceMonitor{} },
		"PrometheusRule":      func() any { return &monv1.PrometheusRule{} },
		"AlertmanagerConfig":  func() any { return &monv1alpha1.AlertmanagerConfig{} },
		"GrafanaDashboard":    func() any { return &grafanaDashboardV1beta1{} },
	}
	newObj, ok := targets[kind]
	if !ok {
		return nil, fmt.Errorf("unexpected kind %q", kind)
	}
	obj := newObj()
	return obj, yaml.UnmarshalStrict(data, obj)
}

// grafanaDashboardV1beta1 mirrors the fields of grafana-operator's GrafanaDashboard we use (its
// module is too heavy to import for one type); strict decoding still catches a misspelling.
type grafanaDashboardV1beta1 struct {
	APIVersion string `json:"apiVersion"`
	Kind       string `json:"kind"`
	Metadata   struct {
		Name   string            `json:"name"`
		Labels map[string]string `json:"labels"`
	} `json:"metadata"`
	Spec struct {
		InstanceSelector struct {
			MatchLabels map[string]string `json:"matchLabels"`
		} `json:"instanceSelector"`
		Folder       string `json:"folder"`
		ConfigMapRef struct {
			Name string `json:"name"`
			Key  string `json:"key"`
		} `json:"configMapRef"`
	} `json:"spec"`
}

// byKind returns the rendered resources of kind.
func byKind(rs []rendered, kind string) []rendered {
	var out []rendered
	for _, r := range rs {
		if r.kind == kind {
			out = append(out, r)
		}
	}
	return out
}

func kinds(rs []rendered) string {
	var ks []string
	for _, r := range rs {
		ks = append(ks, r.kind+"/"+r.name)
	}
	return strings.Join(ks, " ")
}
