package deploy

import (
	"os"
	"path"
	"strconv"

	"github.com/kpic/kpic/internal/definition"
)

// Names of the exporter's Kubernetes objects.
const (
	definitionsConfigMap = "kpic-definitions"
	sourcesSecret        = "kpic-sources"
	definitionsMount     = "/etc/kpic/kpis"
	portName             = "http"
)

// exporterObjects are kpic serve's Deployment, PodDisruptionBudget, Service and ServiceMonitor.
func exporterObjects(m *definition.Model) []object {
	return []object{
		{APIVersion: "apps/v1", Kind: "Deployment", Metadata: meta{Name: appName, Labels: appLabels()}, Spec: deploymentSpec(m)},
		{APIVersion: "policy/v1", Kind: "PodDisruptionBudget", Metadata: meta{Name: appName, Labels: appLabels()}, Spec: map[string]any{
			"maxUnavailable": 1,
			"selector":       labelSelector{MatchLabels: appLabels()},
		}},
		{APIVersion: "v1", Kind: "Service", Metadata: meta{Name: appName, Labels: appLabels()}, Spec: map[string]any{
			"selector": appLabels(),
			"ports":    []map[string]any{{"name": portName, "port": DefaultPort, "targetPort": portName}},
		}},
		{APIVersion: "monitoring.coreos.com/v1", Kind: "ServiceMonitor", Metadata: meta{Name: appName, Labels: appLabels()}, Spec: map[string]any{
			"selector":  labelSelector{MatchLabels: appLabels()},
			"endpoints": []map[string]any{{"port": portName, "path": "/metrics"}},
		}},
	}
}

// Replicas is how many kpic serve pods the base runs: two, so a KPI keeps its data while a pod
// restarts or its node drains. Every replica runs every query (the databases see each query
// once per interval and replica), and the rules read each gauge deduplicated across replicas.
const Replicas = 2

// deploymentSpec runs Replicas pods, on different nodes where it can, and replaces them one at
// a time without going below Replicas ready pods.
func deploymentSpec(m *definition.Model) map[string]any {
	return map[string]any{
		"replicas": Replicas,
		"selector": labelSelector{MatchLabels: appLabels()},
		"strategy": map[string]any{"type": "RollingUpdate",
			"rollingUpdate": map[string]any{"maxUnavailable": 0, "maxSurge": 1}},
		"template": map[string]any{
			"metadata": meta{Labels: appLabels()},
			"spec": map[string]any{
				"affinity":                     antiAffinity(),
				"automountServiceAccountToken": false,
				"securityContext": map[string]any{
					"runAsNonRoot": true, "runAsUser": 65532, "runAsGroup": 65532,
					"seccompProfile": map[string]any{"type": "RuntimeDefault"},
				},
				"containers": []any{container(m)},
				"volumes":    volumes(m),
			},
		},
	}
}

// antiAffinity spreads the replicas over nodes, preferred rather than required so that a
// one-node cluster (kind, minikube) still runs them all.
func antiAffinity() map[string]any {
	return map[string]any{"podAntiAffinity": map[string]any{
		"preferredDuringSchedulingIgnoredDuringExecution": []any{map[string]any{
			"weight": 100,
			"podAffinityTerm": map[string]any{
				"labelSelector": labelSelector{MatchLabels: appLabels()},
				"topologyKey":   "kubernetes.io/hostname",
			},
		}},
	}}
}

func container(m *definition.Model) map[string]any {
	c := map[string]any{
		"name":           appName,
		"image":          appName,
		"args":           []string{"serve", "--config.dir=" + definitionsMount, "--web.listen-address=:" + strconv.Itoa(DefaultPort)},
		"ports":          []map[string]any{{"name": portName, "containerPort": DefaultPort}},
		"livenessProbe":  probe("/-/healthy"),
		"readinessProbe": probe("/-/ready"),
		"resources": map[string]any{
			"requests": map[string]string{"cpu": "50m", "memory": "64Mi"},
			"limits":   map[string]string{"memory": "256Mi"},
		},
		"securityContext": map[string]any{
			"allowPrivilegeEscalation": false, "readOnlyRootFilesystem": true,
			"capabilities": map[string]any{"drop": []string{"ALL"}},
		},
		"volumeMounts": volumeMounts(m),
	}
	if env := envVars(m); len(env) > 0 {
		c["env"] = env
	}
	return c
}

func probe(path string) map[string]any {
	return map[string]any{"httpGet": map[string]any{"path": path, "port": portName}, "periodSeconds": 10}
}

// envVars gives each ${VAR} of a source DSN its value from the kpic-sources Secret, under the
// same key, so the DSN never appears in the manifests.
func envVars(m *definition.Model) []map[string]any {
	var out []map[string]any
	for _, name := range dsnEnv(m) {
		out = append(out, map[string]any{"name": name, "valueFrom": map[string]any{
			"secretKeyRef": secretKeyRef{Name: sourcesSecret, Key: name},
		}})
	}
	return out
}

// dsnEnv lists the environment variables the DSNs refer to, once each, in source order.
func dsnEnv(m *definition.Model) []string {
	var out []string
	seen := map[string]bool{}
	for _, s := range m.Sources {
		os.Expand(string(s.DSN), func(name string) string {
			if !seen[name] {
				seen[name] = true
				out = append(out, name)
			}
			return ""
		})
	}
	return out
}

// volumes mounts the definitions, one Secret per source read from dsn_file, and a writable /tmp.
func volumes(m *definition.Model) []map[string]any {
	out := []map[string]any{
		{"name": "definitions", "configMap": map[string]any{"name": definitionsConfigMap}},
		{"name": "tmp", "emptyDir": map[string]any{}},
	}
	for _, s := range dsnFileSources(m) {
		out = append(out, map[string]any{"name": dsnVolume(s), "secret": map[string]any{"secretName": dsnVolume(s)}})
	}
	return out
}

func volumeMounts(m *definition.Model) []map[string]any {
	out := []map[string]any{
		{"name": "definitions", "mountPath": definitionsMount, "readOnly": true},
		{"name": "tmp", "mountPath": "/tmp"},
	}
	for _, s := range dsnFileSources(m) {
		out = append(out, map[string]any{"name": dsnVolume(s), "mountPath": s.DSNFile, "subPath": path.Base(s.DSNFile), "readOnly": true})
	}
	return out
}

func dsnFileSources(m *definition.Model) []*definition.Source {
	var out []*definition.Source
	for _, s := range m.Sources {
		if s.DSNFile != "" {
			out = append(out, s)
		}
	}
	return out
}

// dsnVolume names the Secret (and its volume) holding a source's dsn_file: key is the file's
// base name.
func dsnVolume(s *definition.Source) string { return "kpic-source-" + dnsName(s.Name) }
