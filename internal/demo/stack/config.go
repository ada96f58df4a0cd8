package stack

import (
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/prometheus/common/model"
	"gopkg.in/yaml.v3"
)

// Prometheus describes the Prometheus server of the demo or a test: what it scrapes, how often,
// which rule files it loads and where it sends alerts.
type Prometheus struct {
	Interval     time.Duration // scrape and evaluation interval
	Targets      []string      // host:port of kpic serve instances
	RuleFiles    []string      // absolute paths
	Alertmanager string        // host:port, or empty
}

// Config returns prometheus.yml for p.
func (p Prometheus) Config() ([]byte, error) {
	iv := model.Duration(p.Interval).String()
	cfg := map[string]any{
		"global":     map[string]any{"scrape_interval": iv, "evaluation_interval": iv},
		"rule_files": p.RuleFiles,
		"scrape_configs": []map[string]any{{
			"job_name":       "kpic",
			"static_configs": []map[string]any{{"targets": p.Targets}},
		}},
	}
	if p.Alertmanager != "" {
		cfg["alerting"] = map[string]any{"alertmanagers": []map[string]any{{
			"static_configs": []map[string]any{{"targets": []string{p.Alertmanager}}},
		}}}
	}
	data, err := yaml.Marshal(cfg)
	if err != nil {
		return nil, fmt.Errorf("write prometheus config: %w", err)
	}
	return data, nil
}

// CopyAlertmanager copies the generated deploy/alertmanager folder src to dst, pointing every
// api_url_file at apiURLFile, the file that holds the local webhook receiver's URL.
func CopyAlertmanager(src, dst, apiURLFile string) error {
	entries, err := os.ReadDir(src)
	if err != nil {
		return fmt.Errorf("copy alertmanager config: %w", err)
	}
	if err := os.MkdirAll(dst, 0o755); err != nil {
		return fmt.Errorf("copy alertmanager config: %w", err)
	}
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		if err := copyFile(filepath.Join(src, e.Name()), filepath.Join(dst, e.Name()), apiURLFile); err != nil {
			return fmt.Errorf("copy alertmanager config: %w", err)
		}
	}
	return nil
}

// copyFile copies one file, rewriting it when it is YAML.
func copyFile(from, to, apiURLFile string) error {
	data, err := os.ReadFile(from)
	if err != nil {
		return err
	}
	if ext := filepath.Ext(from); ext == ".yml" || ext == ".yaml" {
		if data, err = RewriteAPIURLFile(data, apiURLFile); err != nil {
			return fmt.Errorf("%s: %w", from, err)
		}
	}
	return os.WriteFile(to, data, 0o644)
}

// RewriteAPIURLFile sets the value of every api_url_file key in an Alertmanager configuration.
func RewriteAPIURLFile(config []byte, path string) ([]byte, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(config, &doc); err != nil {
		return nil, fmt.Errorf("parse: %w", err)
	}
	setKey(&doc, "api_url_file", path)
	out, err := yaml.Marshal(&doc)
	if err != nil {
		return nil, fmt.Errorf("write: %w", err)
	}
	return out, nil
}

// setKey walks a YAML tree and sets every mapping value under key to value.
func setKey(n *yaml.Node, key, value string) {
	if n.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == key {
				n.Content[i+1].SetString(value)
			}
		}
	}
	for _, c := range n.Content {
		setKey(c, key, value)
	}
}
