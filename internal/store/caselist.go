package store

import (
	"context"
	"strings"
	"time"

	"github.com/gemeenten/meta-bezwaar-connector/internal/objection"
)

// The case list is answered by the database: the filter (state, overdue), the order (newest
// first) and the page are SQL over indexed columns, and only the page's cases are read. Whether
// a case is overdue is the rule of objection.Case.UpdateOverdue, in SQL: open, a deadline, the
// deadline passed, an account not filed.

// dueLayout writes a deadline so that its text sorts as its time does (fixed width, UTC).
const dueLayout = "2006-01-02T15:04:05.000000000Z"

// listColumns are the case's list columns: its deadline (empty when none) and whether every
// account is filed.
func listColumns(c *objection.Case) (due string, allFiled int) {
	if c.DueAt != nil {
		due = c.DueAt.UTC().Format(dueLayout)
	}
	if c.AllFiled() {
		allFiled = 1
	}
	return due, allFiled
}

// CasesPage is one page of the cases f selects, newest first, with the number of all it
// selects; overdue is worked out at now. A page of size 0 is every case.
func (s *Store) CasesPage(ctx context.Context, f objection.CaseFilter, now time.Time, p objection.Page) ([]*objection.Case, int, error) {
	var where []string
	var args []any
	if len(f.States) > 0 {
		where = append(where, "state IN ("+placeholders(len(f.States))+")")
		for _, st := range f.States {
			args = append(args, string(st))
		}
	}
	if f.Overdue != nil {
		overdue := "(state IN (" + placeholders(len(objection.OpenStates)) + ") AND due_at <> '' AND due_at < ? AND all_filed = 0)"
		if !*f.Overdue {
			overdue = "NOT " + overdue
		}
		where = append(where, overdue)
		for _, st := range objection.OpenStates {
			args = append(args, string(st))
		}
		args = append(args, now.UTC().Format(dueLayout))
	}
	cond := ""
	if len(where) > 0 {
		cond = " WHERE " + strings.Join(where, " AND ")
	}
	var total int
	if err := s.db.QueryRowContext(ctx, s.q(`SELECT COUNT(*) FROM cases`+cond), args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	// The page's ids come from the indexes alone; only their rows' bodies are read.
	ids := `SELECT id FROM cases` + cond + ` ORDER BY created_at DESC, id`
	if p.Size > 0 {
		ids += ` LIMIT ? OFFSET ?`
		args = append(args, p.Size, p.Offset())
	}
	query := `SELECT body FROM cases WHERE id IN (` + ids + `) ORDER BY created_at DESC, id`
	rows, err := s.db.QueryContext(ctx, s.q(query), args...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	out := []*objection.Case{}
	for rows.Next() {
		var body string
		if err := rows.Scan(&body); err != nil {
			return nil, 0, err
		}
		c, err := s.readCase(body)
		if err != nil {
			return nil, 0, err
		}
		c.UpdateOverdue(now)
		out = append(out, c)
	}
	return out, total, rows.Err()
}

// placeholders is n question marks, comma-separated.
func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}
