package console

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The theme is the municipality's file when configured, else the example theme built in.
func TestLoadTheme(t *testing.T) {
	built, err := loadTheme("")
	if err != nil || !strings.Contains(string(built), ".voorbeeld-theme {") {
		t.Fatalf("the built-in theme: %v", err)
	}
	own := filepath.Join(t.TempDir(), "theme.css")
	os.WriteFile(own, []byte(".gemeente-theme { --utrecht-document-color: #123456; }"), 0o600)
	got, err := loadTheme(own)
	if err != nil || string(got) != ".gemeente-theme { --utrecht-document-color: #123456; }" {
		t.Errorf("the municipality's theme: %q %v", got, err)
	}
	if _, err := loadTheme(filepath.Join(t.TempDir(), "gone.css")); err == nil {
		t.Error("a missing theme file was taken")
	}
}
