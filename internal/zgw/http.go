package zgw

import (
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"net/http"
	"net/url"
	"strings"

	"github.com/go-resty/resty/v2"
)

// service holds what every API area shares: the client and its base URL, plus the extra headers
// the area requires (the Zaken API wants Accept-Crs/Content-Crs on zaak endpoints).
type service struct {
	c       *Client
	base    string
	headers map[string]string
}

func (s *service) req(ctx context.Context) *resty.Request {
	r := s.c.request(ctx)
	for k, v := range s.headers {
		r.SetHeader(k, v)
	}
	return r
}

func (s *service) url(path string, query url.Values) string {
	u := s.base + path
	if len(query) > 0 {
		u += "?" + query.Encode()
	}
	return u
}

func (s *service) get(ctx context.Context, u string, out any) error {
	resp, err := s.req(ctx).Get(u)
	if err := check(resp, err); err != nil {
		return err
	}
	return decode(resp, out)
}

func (s *service) send(ctx context.Context, method, u string, body, out any) error {
	r := s.req(ctx).SetHeader("Content-Type", "application/json")
	if body != nil {
		r.SetBody(body)
	}
	resp, err := r.Execute(method, u)
	if err := check(resp, err); err != nil {
		return err
	}
	if out == nil || resp.StatusCode() == http.StatusNoContent {
		return nil
	}
	return decode(resp, out)
}

func (s *service) post(ctx context.Context, u string, body, out any) error {
	return s.send(ctx, http.MethodPost, u, body, out)
}

// withQuery is u with one query parameter added.
func withQuery(u, key, value string) string {
	sep := "?"
	if strings.Contains(u, "?") {
		sep = "&"
	}
	return u + sep + url.Values{key: {value}}.Encode()
}

func decode(resp *resty.Response, out any) error {
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(resp.Body(), out); err != nil {
		return fmt.Errorf("zgw: %s %s: decoding the answer: %w", resp.Request.Method, redact(resp.Request.URL), err)
	}
	return nil
}

// page is the ZGW pagination envelope.
type page[T any] struct {
	Count    int     `json:"count"`
	Next     *string `json:"next"`
	Previous *string `json:"previous"`
	Results  []T     `json:"results"`
}

// list follows `next` links and yields every result. A `next` outside the configured roots stops
// the iteration with a *ForeignURLError. Breaking out of the loop stops the requests.
func list[T any](ctx context.Context, s *service, first string) iter.Seq2[T, error] {
	return pages(first, func(u string, p *page[T]) error { return s.get(ctx, u, p) })
}

// search is list for a search sent as POST (_zoek): every page is asked with the same body.
func search[T any](ctx context.Context, s *service, first string, body any) iter.Seq2[T, error] {
	return pages(first, func(u string, p *page[T]) error { return s.post(ctx, u, body, p) })
}

// pages reads page after page with read, following `next`, and yields every result.
func pages[T any](first string, read func(u string, p *page[T]) error) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		next := first
		for seen := 0; next != ""; seen++ {
			if seen > 10000 {
				var zero T
				yield(zero, fmt.Errorf("zgw: %s: more than 10000 pages, giving up", redact(first)))
				return
			}
			var p page[T]
			if err := read(next, &p); err != nil {
				var zero T
				yield(zero, err)
				return
			}
			for _, item := range p.Results {
				if !yield(item, nil) {
					return
				}
			}
			next = ""
			if p.Next != nil {
				next = *p.Next
			}
		}
	}
}

// listUnpaged reads an endpoint that answers a plain JSON array (zaakinformatieobjecten,
// besluitinformatieobjecten, audit trails, kanalen).
func listUnpaged[T any](ctx context.Context, s *service, u string) ([]T, error) {
	var out []T
	if err := s.get(ctx, u, &out); err != nil {
		return nil, err
	}
	return out, nil
}

// collect drains an iterator into a slice.
func collect[T any](seq iter.Seq2[T, error]) ([]T, error) {
	var out []T
	for item, err := range seq {
		if err != nil {
			return nil, err
		}
		out = append(out, item)
	}
	return out, nil
}

// Raw reads any resource under the configured roots as JSON, unchanged: for archiving (the
// dossier keeps every field the zaaksysteem returns, also those this client has no type for).
func (c *Client) Raw(ctx context.Context, u string) (json.RawMessage, error) {
	s := &service{c: c, headers: crs} // the CRS headers are required on zaak endpoints, harmless elsewhere
	var out json.RawMessage
	return out, s.get(ctx, u, &out)
}
