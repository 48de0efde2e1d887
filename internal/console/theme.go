package console

import (
	"fmt"
	"io/fs"
	"net/http"
	"os"
)

// The pages are styled with NL Design System: the Utrecht component library's CSS for plain
// HTML elements (static/nlds/utrecht-html.css) with a theme's design tokens — the municipality's
// own (CONSOLE_THEME) or the neutral example theme built in. static/nlds/NOTICE.md says
// which versions and licences.

const embeddedTheme = "nlds/voorbeeld-theme.css"

// loadTheme reads the theme's tokens: the file when one is configured (checked by the
// configuration), else the embedded example theme.
func loadTheme(file string) ([]byte, error) {
	if file == "" {
		return fs.ReadFile(staticFS(), embeddedTheme)
	}
	b, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("the theme (CONSOLE_THEME): %w", err)
	}
	return b, nil
}

// serveTheme answers /static/theme.css with the theme's tokens.
func (c *Console) serveTheme(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/css; charset=utf-8")
	_, _ = w.Write(c.theme)
}
