package zgw

import (
	"fmt"
	"net/url"
	"path"
	"strings"
)

// roots are the configured API base URLs. A request may only go to a URL below one of them:
// same scheme, same host and port, and a path under the root's path.
type roots []*url.URL

func (rs *roots) add(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return err
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return fmt.Errorf("%q is not an http(s) URL", raw)
	}
	if u.Host == "" || u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		return fmt.Errorf("%q must be a plain base URL (scheme, host, path)", raw)
	}
	u.Path = strings.TrimRight(u.Path, "/") + "/"
	*rs = append(*rs, u)
	return nil
}

func (rs roots) allows(u *url.URL) bool {
	if u == nil || u.User != nil || u.Opaque != "" {
		return false
	}
	// Dot segments, plain or percent-encoded, are refused outright: a server would resolve
	// /zaken/api/v1/../../admin to a path outside the root.
	for _, seg := range strings.Split(u.Path, "/") {
		if seg == "." || seg == ".." {
			return false
		}
	}
	p := path.Clean("/"+u.Path) + "/"
	for _, r := range rs {
		if strings.EqualFold(u.Scheme, r.Scheme) && strings.EqualFold(u.Host, r.Host) && strings.HasPrefix(p, r.Path) {
			return true
		}
	}
	return false
}

// Allows reports whether a URL lies under one of the configured API roots, so that callers can
// refuse a foreign resource URL before they store or follow it.
func (c *Client) Allows(raw string) bool {
	u, err := url.Parse(raw)
	return err == nil && c.roots.allows(u)
}

// isResource reports whether raw is <base>/<collection>/<id> — one resource of that collection
// of the API at base — and nothing else (no query, no deeper path).
func isResource(base, collection, raw string) bool {
	if base == "" {
		return false
	}
	var r roots
	if err := r.add(base + "/" + collection); err != nil {
		return false
	}
	u, err := url.Parse(raw)
	if err != nil || !r.allows(u) || u.RawQuery != "" || u.Fragment != "" {
		return false
	}
	id := strings.TrimPrefix(strings.TrimSuffix(u.Path, "/"), r[0].Path)
	return id != "" && !strings.Contains(id, "/")
}
