package deploy

import (
	"sort"
	"strings"
	"sync"

	"github.com/kpic/kpic/internal/definition"
	"github.com/kpic/kpic/internal/output"
)

const (
	kubeDir      = "deploy/kubernetes/"
	baseDir      = kubeDir + "base/"
	kustomizeAPI = "kustomize.config.k8s.io/v1beta1"
)

// kubernetesFiles writes the Kustomize base and the grafana-operator overlay. The files are
// independent and written side by side (the rule and dashboard ones are large).
func kubernetesFiles(m *definition.Model, in inputs) ([]output.File, error) {
	base := kustomization{APIVersion: kustomizeAPI, Kind: "Kustomization", Resources: []string{"kpic.yaml", "alertmanagerconfig.yaml"}}
	var rules, boards splices
	docs := map[string][]any{
		"kpic.yaml":               anys(exporterObjects(m)),
		"alertmanagerconfig.yaml": {alertmanagerConfigObject(m)},
		"prometheusrules.yaml":    anys(prometheusRules(&rules, in.rules)),
	}
	var err error
	if docs["dashboards.yaml"], err = dashboardConfigMaps(&boards, m, in.dashboards, in.warn); err != nil {
		return nil, err
	}
	spliced := map[string]*splices{"prometheusrules.yaml": &rules, "dashboards.yaml": &boards}
	for _, name := range []string{"prometheusrules.yaml", "dashboards.yaml"} {
		if len(docs[name]) > 0 {
			base.Resources = append(base.Resources, name)
		}
	}
	base.ConfigMapGenerator = []configMapArgs{{Name: definitionsConfigMap, Files: definitionKeys(in.definitions)}}
	base.Images = []image{{Name: appName, NewName: Image, NewTag: "latest"}}
	var jobs []func() ([]output.File, error)
	for _, name := range sortedKeys(docs) {
		if len(docs[name]) == 0 {
			continue
		}
		s := spliced[name]
		if s == nil {
			s = &splices{}
		}
		jobs = append(jobs, func() ([]output.File, error) {
			data, err := s.marshal(generatedHeader, docs[name]...)
			return []output.File{{Path: baseDir + name, Data: data}}, err
		})
	}
	jobs = append(jobs, func() ([]output.File, error) {
		data, err := marshal(generatedHeader+"# Apply with: kubectl apply -k deploy/kubernetes/base (see docs/deploy.md)\n", base)
		return []output.File{{Path: baseDir + "kustomization.yaml", Data: data}}, err
	}, func() ([]output.File, error) { return grafanaOperatorOverlay(m, in.dashboards) })
	out, err := runAll(jobs)
	return append(out, definitionCopies(in.definitions)...), err
}

// runAll runs the jobs side by side and returns their files in job order, or the first error.
func runAll(jobs []func() ([]output.File, error)) ([]output.File, error) {
	files := make([][]output.File, len(jobs))
	errs := make([]error, len(jobs))
	var wg sync.WaitGroup
	for i, job := range jobs {
		wg.Go(func() { files[i], errs[i] = job() })
	}
	wg.Wait()
	var out []output.File
	for i := range jobs {
		if errs[i] != nil {
			return nil, errs[i]
		}
		out = append(out, files[i]...)
	}
	return out, nil
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
