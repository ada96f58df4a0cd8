package deploy

import (
	"sort"
	"strings"

	"github.com/kpic/kpic/internal/definition"
	"github.com/kpic/kpic/internal/output"
)

const (
	kubeDir      = "deploy/kubernetes/"
	baseDir      = kubeDir + "base/"
	kustomizeAPI = "kustomize.config.k8s.io/v1beta1"
)

// kubernetesFiles writes the Kustomize base and the grafana-operator overlay.
func kubernetesFiles(m *definition.Model, in inputs) ([]output.File, error) {
	var out []output.File
	add := func(name string, header string, s *splices, docs ...any) error {
		data, err := s.marshal(header, docs...)
		out = append(out, output.File{Path: baseDir + name, Data: data})
		return err
	}
	base := kustomization{APIVersion: kustomizeAPI, Kind: "Kustomization", Resources: []string{"kpic.yaml", "alertmanagerconfig.yaml"}}
	type file struct {
		splices splices
		docs    []any
	}
	files := map[string]*file{"kpic.yaml": {}, "alertmanagerconfig.yaml": {}, "prometheusrules.yaml": {}, "dashboards.yaml": {}}
	files["kpic.yaml"].docs = anys(exporterObjects(m))
	files["alertmanagerconfig.yaml"].docs = []any{alertmanagerConfigObject(m)}
	f := files["prometheusrules.yaml"]
	f.docs = anys(prometheusRules(&f.splices, in.rules))
	f = files["dashboards.yaml"]
	f.docs = anys(dashboardConfigMaps(&f.splices, m, in.dashboards))
	for _, name := range []string{"prometheusrules.yaml", "dashboards.yaml"} {
		if len(files[name].docs) > 0 {
			base.Resources = append(base.Resources, name)
		}
	}
	for _, name := range sortedKeys(files) {
		if f := files[name]; len(f.docs) > 0 {
			if err := add(name, generatedHeader, &f.splices, f.docs...); err != nil {
				return nil, err
			}
		}
	}
	out = append(out, definitionCopies(in.definitions)...)
	base.ConfigMapGenerator = []configMapArgs{{Name: definitionsConfigMap, Files: definitionKeys(in.definitions)}}
	base.Images = []image{{Name: appName, NewName: Image, NewTag: "latest"}}
	if err := add("kustomization.yaml", generatedHeader+"# Apply with: kubectl apply -k deploy/kubernetes/base (see docs/deploy.md)\n", &splices{}, base); err != nil {
		return nil, err
	}
	overlay, err := grafanaOperatorOverlay(m, in.dashboards)
	return append(out, overlay...), err
}

// Image is the container image the base runs; override its tag with kustomize edit set image.
const Image = "ghcr.io/kpic/kpic"

// kustomization is the part of kustomize's Kustomization we write.
type kustomization struct {
	APIVersion         string          `yaml:"apiVersion"`
	Kind               string          `yaml:"kind"`
	Resources          []string        `yaml:"resources"`
	ConfigMapGenerator []configMapArgs `yaml:"configMapGenerator,omitempty"`
	Images             []image         `yaml:"images,omitempty"`
	Patches            []patch         `yaml:"patches,omitempty"`
}

type configMapArgs struct {
	Name  string   `yaml:"name"`
	Files []string `yaml:"files"`
}

type image struct {
	Name    string `yaml:"name"`
	NewName string `yaml:"newName"`
	NewTag  string `yaml:"newTag"`
}

type patch struct {
	Target *patchTarget `yaml:"target,omitempty"`
	Patch  string       `yaml:"patch"`
}

// patchTarget selects the resources a patch applies to.
type patchTarget struct {
	Kind          string `yaml:"kind,omitempty"`
	LabelSelector string `yaml:"labelSelector,omitempty"`
}

// definitionCopies puts the definition files below the base: kustomize refuses to
// read files outside its folder, and the ConfigMap must hold what the rules were built from.
func definitionCopies(defs []output.File) []output.File {
	out := make([]output.File, 0, len(defs))
	for _, f := range defs {
		out = append(out, output.File{Path: baseDir + f.Path, Data: f.Data})
	}
	return out
}

// definitionKeys lists the copies for configMapGenerator, naming nested files by a flat key.
func definitionKeys(defs []output.File) []string {
	out := make([]string, 0, len(defs))
	for _, f := range defs {
		rel := strings.TrimPrefix(f.Path, DefinitionsPrefix)
		if strings.Contains(rel, "/") {
			out = append(out, flatKey(rel)+"="+f.Path)
			continue
		}
		out = append(out, f.Path)
	}
	return out
}

func anys[T any](xs []T) []any {
	out := make([]any, len(xs))
	for i, x := range xs {
		out[i] = x
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
