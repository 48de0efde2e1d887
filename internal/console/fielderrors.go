package console

import (
	"cmp"
	"regexp"

	"github.com/gemeenten/meta-bezwaar-connector/internal/dutch"
	"github.com/gemeenten/meta-bezwaar-connector/internal/objection"
)

// fieldError is a refused form field as a person reads it: the field's id (the error summary
// links to it) and what to put right, in Dutch.
type fieldError struct{ ID, Text string }

var accountParam = regexp.MustCompile(`^accounts\[(\d+)\](?:\.(\w+))?$`)

// fieldErrors turns a check's refused parameters into the form's field errors: each with the id
// of its input (ids maps a parameter to it where the form names it otherwise; an account's field
// accounts[i].x is account<i>_x on the decision form) and the words of dutch.FieldProblem.
func fieldErrors(invalid []objection.Param, ids map[string]string) []fieldError {
	out := make([]fieldError, 0, len(invalid))
	for _, p := range invalid {
		id, field := p.Name, p.Name
		if m := accountParam.FindStringSubmatch(p.Name); m != nil {
			field = cmp.Or(m[2], "name")
			id = "account" + m[1] + "_" + field
		} else if p.Name == "accounts" {
			id = "account0_name"
		}
		if mapped, ok := ids[p.Name]; ok {
			id = mapped
		}
		out = append(out, fieldError{ID: id, Text: dutch.FieldProblem(field, p.Code)})
	}
	return out
}
