package httpapi

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"github.com/gemeenten/meta-bezwaar-connector/internal/objection"
)

// Lists are paginated the ZGW way: ?page=N (from 1) and ?pageSize=M, answered with count (of all
// items), next and previous (links, null at the ends) and the page's results.
const (
	defaultPageSize = 100
	maxPageSize     = 100
)

// list is one page of a listing.
type list[T any] struct {
	Count    int     `json:"count"`
	Next     *string `json:"next"`
	Previous *string `json:"previous"`
	Results  []T     `json:"results"`
}

// pageOf reads the page asked for, refusing what is not a page.
func pageOf(r *http.Request) (objection.Page, error) {
	p := objection.Page{Number: 1, Size: defaultPageSize}
	var v objection.Invalid
	for _, q := range []struct {
		name     string
		into     *int
		min, max int
	}{{"page", &p.Number, 1, 1 << 20}, {"pageSize", &p.Size, 1, maxPageSize}} {
		raw, ok := r.URL.Query()[q.name]
		if !ok {
			continue
		}
		n, err := strconv.Atoi(raw[0])
		if err != nil || len(raw) > 1 || n < q.min || n > q.max {
			v.Add(q.name, "invalid", fmt.Sprintf("a whole number from %d to %d", q.min, q.max))
			continue
		}
		*q.into = n
	}
	return p, v.Err()
}

// listOf makes the answer for one page of total items.
func listOf[T any](r *http.Request, p objection.Page, total int, items []T) list[T] {
	link := func(n int) *string {
		q := url.Values{"page": {strconv.Itoa(n)}}
		if p.Size != defaultPageSize {
			q.Set("pageSize", strconv.Itoa(p.Size))
		}
		s := r.URL.Path + "?" + q.Encode()
		return &s
	}
	out := list[T]{Count: total, Results: items}
	if out.Results == nil {
		out.Results = []T{}
	}
	if p.Offset()+len(items) < total {
		out.Next = link(p.Number + 1)
	}
	if p.Number > 1 {
		out.Previous = link(max(1, min(p.Number-1, (total+p.Size-1)/p.Size)))
	}
	return out
}
