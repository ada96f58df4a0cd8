package deploy

// Minimal Kubernetes object shapes, enough for what we emit. The tests decode every manifest
// strictly into the upstream API types, which keeps these honest without importing them here.

type object struct {
	APIVersion string `yaml:"apiVersion"`
	Kind       string `yaml:"kind"`
	Metadata   meta   `yaml:"metadata"`
	Spec       any    `yaml:"spec,omitempty"`
	Data       any    `yaml:"data,omitempty"`
}

type meta struct {
	Name        string            `yaml:"name,omitempty"`
	Labels      map[string]string `yaml:"labels,omitempty"`
	Annotations map[string]string `yaml:"annotations,omitempty"`
}

// appName labels and selects everything that belongs to the exporter.
const appName = "kpic"

func appLabels() map[string]string {
	return map[string]string{"app.kubernetes.io/name": appName}
}

type labelSelector struct {
	MatchLabels map[string]string `yaml:"matchLabels"`
}

type secretKeyRef struct {
	Name string `yaml:"name"`
	Key  string `yaml:"key"`
}
