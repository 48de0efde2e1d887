package core

import (
	"net/http"
	"strings"

	"github.com/google/uuid"
)

// apiPrefixes are the roots of the APIs.
var apiPrefixes = []string{CatalogiRoot, ZakenRoot, DocumentenRoot, BesluitenRoot, NotificatiesRoot, AutorisatiesRoot, SelectielijstRoot + "/"}

// Base is the absolute origin the client used, as Open Zaak builds its URLs from the request.
func Base(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// absolute turns stored paths into URLs of this sandbox, recursively.
func absolute(v any, origin string) any {
	switch t := v.(type) {
	case string:
		if IsLocalPath(t) {
			return origin + t
		}
		return t
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, x := range t {
			out[k] = absolute(x, origin)
		}
		return out
	case []any:
		out := make([]any, len(t))
		for i, x := range t {
			out[i] = absolute(x, origin)
		}
		return out
	}
	return v
}

// Local turns a URL of this sandbox into its stored path; other strings stay as they are.
func Local(v string, origin string) string {
	if p, ok := strings.CutPrefix(v, origin); ok && IsLocalPath(p) {
		return p
	}
	return v
}

func IsLocalPath(s string) bool {
	for _, p := range apiPrefixes {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}

// UuidFrom extracts the last path segment of a local resource path of the given collection,
// e.g. ("/zaken/api/v1/zaken/<uuid>", "/zaken/api/v1/zaken/") → "<uuid>".
func UuidFrom(path, collection string) (string, bool) {
	id, ok := strings.CutPrefix(path, collection)
	if !ok || id == "" || strings.Contains(id, "/") {
		return "", false
	}
	return id, true
}

// NewUUID is the uuid of a new resource.
func NewUUID() string { return uuid.NewString() }

// The roots of the APIs, at Open Zaak's paths.
const (
	CatalogiRoot     = "/catalogi/api/v1/"
	ZakenRoot        = "/zaken/api/v1/"
	DocumentenRoot   = "/documenten/api/v1/"
	BesluitenRoot    = "/besluiten/api/v1/"
	NotificatiesRoot = "/notificaties/api/v1/"
	AutorisatiesRoot = "/autorisaties/api/v1/"

	// SelectielijstRoot is where the sandbox serves its own stand-in of VNG's Selectielijst API: the
	// few resources its seeded catalogue refers to, in the shape of VNG's, so that the sandbox checks
	// resultaattypen offline exactly as it checks those naming another Selectielijst. The content is
	// the sandbox's own, not VNG's list: a real catalogue names the klassen of VNG's Selectielijst.
	// Like VNG's, it is public and read-only.
	SelectielijstRoot = "/selectielijst/api/v1"
)
