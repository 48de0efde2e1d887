package woo

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/go-resty/resty/v2"

	"github.com/gemeenten/meta-bezwaar-connector/internal/httpclient"
)

// Problem is an error answer of the publicatiebank: Django REST framework's {"detail": …} or
// its validation errors, a list of reasons per field.
type Problem struct {
	Status int
	Detail string
	Fields map[string][]string

	Method, URL string
}

func (p *Problem) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "woo: %s %s: %d", p.Method, p.URL, p.Status)
	if p.Detail != "" {
		b.WriteString(" " + p.Detail)
	}
	b.WriteString(p.fieldList("; "))
	return b.String()
}

// Reasons are the publicatiebank's own words for what it refused, field by field (Dutch, as it
// answers), for people to read.
func (p *Problem) Reasons() string {
	if len(p.Fields) == 0 {
		return p.Detail
	}
	return strings.TrimPrefix(p.fieldList("; "), "; ")
}

func (p *Problem) fieldList(sep string) string {
	names := make([]string, 0, len(p.Fields))
	for name := range p.Fields {
		names = append(names, name)
	}
	slices.Sort(names)
	var b strings.Builder
	for _, name := range names {
		fmt.Fprintf(&b, "%s%s: %s", sep, name, strings.Join(p.Fields[name], " "))
	}
	return b.String()
}

// Permanent reports whether sending the same request again cannot succeed: a refusal (4xx other
// than 408, 409, 423 and 429). The publicatiebank being down or slow is not permanent.
func (p *Problem) Permanent() bool { return httpclient.Permanent(p.Status) }

// ForeignURLError is returned, without any request being sent, for a URL outside the API root.
type ForeignURLError struct{ URL string }

func (e *ForeignURLError) Error() string {
	return "woo: refusing to send the API key to " + e.URL + ", outside the configured API root"
}

// NotFoundError says that a name or uuid in the configuration names nothing the publicatiebank
// has (or, for an organisation, nothing active).
type NotFoundError struct {
	What, Name string
}

func (e *NotFoundError) Error() string {
	return fmt.Sprintf("woo: the publicatiebank has no %s %q", e.What, e.Name)
}

// Permanent reports whether err is a refusal that asking again will not change.
func Permanent(err error) bool {
	var p *Problem
	var f *ForeignURLError
	var nf *NotFoundError
	return errors.As(err, &p) && p.Permanent() || errors.As(err, &f) || errors.As(err, &nf)
}

// check turns a failed exchange into an error: a *Problem for an error answer.
func check(resp *resty.Response, err error) error {
	if err != nil {
		var foreign *ForeignURLError
		if errors.As(err, &foreign) {
			return foreign
		}
		if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
			return fmt.Errorf("woo: %w", err)
		}
		return fmt.Errorf("woo: the publicatiebank did not answer: %w", err)
	}
	if resp.StatusCode() < 400 {
		return nil
	}
	p := &Problem{Status: resp.StatusCode(), Method: resp.Request.Method, URL: redact(resp.Request.URL)}
	var body map[string]json.RawMessage
	if json.Unmarshal(resp.Body(), &body) == nil {
		for k, raw := range body {
			var s string
			var list []string
			switch {
			case k == "detail" && json.Unmarshal(raw, &s) == nil:
				p.Detail = s
			case json.Unmarshal(raw, &list) == nil:
				if p.Fields == nil {
					p.Fields = map[string][]string{}
				}
				p.Fields[k] = list
			}
		}
	}
	if p.Detail == "" && len(p.Fields) == 0 {
		p.Detail = http.StatusText(p.Status)
	}
	return p
}

// redact keeps a URL's path without its query (which may name people).
func redact(raw string) string {
	if i := strings.IndexByte(raw, '?'); i >= 0 {
		return raw[:i]
	}
	return raw
}
