package workflow

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"
)

// A case's state is unexported in its package (objection): only NewCase, UnmarshalJSON and
// Enter set it, and the lifecycle decides in Enter. This test holds the rest of the rule over
// the syntax of every non-test file of the module: Enter is called only by the workflow's
// transition (and by objectiontest, which walks the lifecycle for tests), within objection only
// lifecycle.go assigns the state, and outside the store a case and its steps are written only by
// the workflow's updateCase (transition.go) — which records the attempt's step results with it.
func TestOnlyTheTransitionChangesACase(t *testing.T) {
	root := filepath.Join("..", "..")
	allowedEnter := map[string]bool{"internal/workflow/transition.go": true, "internal/objection/objectiontest/objectiontest.go": true}
	caseWrites := map[string]bool{"UpdateCaseTx": true, "UpdateCase": true,
		"CompleteStepsTx": true, "IntendStepsTx": true, "WithdrawIntentTx": true}
	fset := token.NewFileSet()
	seen := 0
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".")) && path != root {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		rel, _ := filepath.Rel(root, path)
		rel = filepath.ToSlash(rel)
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		seen++
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.CallExpr:
				sel, ok := n.Fun.(*ast.SelectorExpr)
				if ok && sel.Sel.Name == "Enter" && !allowedEnter[rel] {
					t.Errorf("%s: a case's state changes outside the transition (workflow/transition.go)", fset.Position(n.Pos()))
				}
				if ok && caseWrites[sel.Sel.Name] && rel != "internal/workflow/transition.go" && !strings.HasPrefix(rel, "internal/store/") {
					t.Errorf("%s: a case is written outside updateCase (workflow/transition.go)", fset.Position(n.Pos()))
				}
			case *ast.AssignStmt:
				for _, lhs := range n.Lhs {
					if sel, ok := lhs.(*ast.SelectorExpr); ok && sel.Sel.Name == "state" && f.Name.Name == "objection" && rel != "internal/objection/lifecycle.go" {
						t.Errorf("%s: a case's state is assigned outside lifecycle.go", fset.Position(n.Pos()))
					}
				}
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if seen < 100 {
		t.Fatalf("read only %d files: is the module root %s?", seen, root)
	}
}
