package dashboard

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/grafana-tools/sdk"

	"github.com/kpic/kpic/internal/definition"
	"github.com/kpic/kpic/internal/definition/definitiontest"
)

// renderThroughSDK is the straightforward rendering that render must equal byte for byte: the
// whole board marshalled by the sdk, decoded, normalized and encoded by encoding/json.
func renderThroughSDK(b *sdk.Board) ([]byte, error) {
	raw, err := json.Marshal(b)
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var doc object
	if err := dec.Decode(&doc); err != nil {
		return nil, err
	}
	normalize(doc)
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// TestRenderEqualsSDKRendering renders every board of the small model and of a generated one
// both ways.
func TestRenderEqualsSDKRendering(t *testing.T) {
	big, diags := definition.LoadFS(definitiontest.FS(300), "kpis")
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	odd := smallModel()
	odd.KPIs[0].Description = "Escapes: <b>&amp;</b> \"quoted\" \\ tab\t nl\n ctl\x01 \u2028 bad\xff ünïcode"
	odd.KPIs[0].Alert.Runbook = "https://wiki.example.com/a?b=1&c=<2>"
	for _, m := range []*definition.Model{smallModel(), odd, big} {
		ix := index(m)
		boards := []*sdk.Board{scorecard(ix), detail(ix)}
		for _, tm := range m.Teams {
			boards = append(boards, team(ix, tm))
		}
		for _, o := range m.Objectives {
			boards = append(boards, objectiveBoard(ix, o))
		}
		r := newRenderer() // one for all boards, as Build does, so boards share shells and tiles
		for _, b := range boards {
			got, err := r.render(b)
			if err != nil {
				t.Fatal(err)
			}
			want, err := renderThroughSDK(b)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s: render differs from the sdk rendering\n%s", b.UID, firstDiff(got, want))
			}
		}
	}
}

// firstDiff shows where two renderings part.
func firstDiff(a, b []byte) string {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	lo := max(0, i-200)
	return "got:  ..." + string(a[lo:min(len(a), i+100)]) + "\nwant: ..." + string(b[lo:min(len(b), i+100)])
}
