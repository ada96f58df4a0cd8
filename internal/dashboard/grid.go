package dashboard

import "github.com/grafana-tools/sdk"

// gridWidth is the number of columns of Grafana's dashboard grid.
const gridWidth = 24

// grid places panels left to right and top to bottom and numbers them in order, so ids and
// positions depend only on the definitions.
type grid struct {
	panels []*sdk.Panel
	x, y   int
	lineH  int
	nextID uint
}

// row starts a new line with an expanded row header.
func (g *grid) row(title string) {
	g.newline()
	p := &sdk.Panel{
		CommonPanel: sdk.CommonPanel{OfType: sdk.RowType, Type: "row", Title: title},
		RowPanel:    &sdk.RowPanel{Panels: []sdk.Panel{}},
	}
	g.place(p, gridWidth, 1)
	g.newline()
}

// add places p with width w and height h, wrapping to a new line when it does not fit.
func (g *grid) add(p *sdk.Panel, w, h int) {
	if g.x+w > gridWidth {
		g.newline()
	}
	g.place(p, w, h)
}

// newline moves below the tallest panel of the current line.
func (g *grid) newline() {
	g.y += g.lineH
	g.x, g.lineH = 0, 0
}

func (g *grid) place(p *sdk.Panel, w, h int) {
	g.nextID++
	p.ID = g.nextID
	x, y := g.x, g.y
	p.GridPos.X, p.GridPos.Y, p.GridPos.W, p.GridPos.H = &x, &y, &w, &h
	g.panels = append(g.panels, p)
	g.x += w
	g.lineH = max(g.lineH, h)
}
