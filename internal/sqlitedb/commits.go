package sqlitedb

import (
	"database/sql/driver"
	"strings"
	"sync/atomic"
)

// What costs a durable write is a commit that wrote: the benchmarks report them per flow. A
// connection counts them as they happen — a transaction in which a statement wrote, on its
// commit; a write outside a transaction (its own commit) at once. A statement writes by its
// text (INSERT, UPDATE, DELETE, REPLACE, the schema's changes) when it changed rows — for an
// UPDATE … RETURNING (River fetching jobs), when it returns one.

// writeCounter is a connection's part in the count (a connection runs one thing at a time).
type writeCounter struct {
	commits       *atomic.Int64
	inTx, txWrote bool
}

// wrote notes a statement that changed the database.
func (w *writeCounter) wrote() {
	if w.inTx {
		w.txWrote = true
	} else {
		w.commits.Add(1)
	}
}

// began wraps the transaction just begun on the connection.
func (w *writeCounter) began(tx driver.Tx) driver.Tx {
	w.inTx, w.txWrote = true, false
	return countedTx{Tx: tx, w: w}
}

// countedTx counts its commit when it wrote.
type countedTx struct {
	driver.Tx
	w *writeCounter
}

func (t countedTx) Commit() error {
	err := t.Tx.Commit()
	if err == nil && t.w.txWrote {
		t.w.commits.Add(1)
	}
	t.w.inTx, t.w.txWrote = false, false
	return err
}

func (t countedTx) Rollback() error {
	t.w.inTx, t.w.txWrote = false, false
	return t.Tx.Rollback()
}

// writingRows are the rows of a write that returns them: it wrote when there is one.
type writingRows struct {
	driver.Rows
	w     *writeCounter
	noted bool
}

func (r *writingRows) Next(dest []driver.Value) error {
	err := r.Rows.Next(dest)
	if err == nil && !r.noted {
		r.noted = true
		r.w.wrote()
	}
	return err
}

// A statement's kind of write.
type writeKind int

const (
	readOnly    writeKind = iota
	rowsWritten           // INSERT, UPDATE, DELETE, REPLACE: a write when it changed rows
	schemaWrite           // CREATE, DROP, ALTER: always a write
)

// wrote reports whether a statement of kind k that answered r wrote (an INSERT … ON CONFLICT DO
// NOTHING that found its row wrote nothing).
func (k writeKind) wrote(r driver.Result) bool {
	if k != rowsWritten {
		return k == schemaWrite
	}
	n, err := r.RowsAffected()
	return err != nil || n > 0
}

// writes is the kind of write a statement is, by its first word (after any comments); a WITH …
// may precede a write.
func writes(query string) writeKind {
	q := strings.TrimSpace(query)
	for strings.HasPrefix(q, "--") || strings.HasPrefix(q, "/*") {
		end := "\n"
		if strings.HasPrefix(q, "/*") {
			end = "*/"
		}
		i := strings.Index(q, end)
		if i < 0 {
			return readOnly
		}
		q = strings.TrimSpace(q[i+len(end):])
	}
	up := strings.ToUpper(q)
	word := up[:len(up)-len(strings.TrimLeft(up, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"))]
	switch word {
	case "INSERT", "UPDATE", "DELETE", "REPLACE":
		return rowsWritten
	case "CREATE", "DROP", "ALTER":
		return schemaWrite
	case "WITH":
		if strings.Contains(up, "INSERT ") || strings.Contains(up, "UPDATE ") || strings.Contains(up, "DELETE ") {
			return rowsWritten
		}
	}
	return readOnly
}
