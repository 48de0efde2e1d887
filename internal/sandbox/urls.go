package sandbox

import (
	"net/http"
	"strings"

	"github.com/google/uuid"
)

// apiPrefixes are the roots of the APIs, at Open Zaak's paths.
var apiPrefixes = []string{"/catalogi/api/v1/", "/zaken/api/v1/", "/documenten/api/v1/", "/besluiten/api/v1/", "/notificaties/api/v1/", "/autorisaties/api/v1/", selectielijstRoot + "/"}

// base is the absolute origin the client used, as Open Zaak builds its URLs from the request.
func base(r *http.Request) string {
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
		if isLocalPath(t) {
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

// local turns a URL of this sandbox into its stored path; other strings stay as they are.
func local(v string, origin string) string {
	if p, ok := strings.CutPrefix(v, origin); ok && isLocalPath(p) {
		return p
	}
	return v
}

func isLocalPath(s string) bool {
	for _, p := range apiPrefixes {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}

// uuidFrom extracts the last path segment of a local resource path of the given collection,
// e.g. ("/zaken/api/v1/zaken/<uuid>", "/zaken/api/v1/zaken/") → "<uuid>".
func uuidFrom(path, collection string) (string, bool) {
	id, ok := strings.CutPrefix(path, collection)
	if !ok || id == "" || strings.Contains(id, "/") {
		return "", false
	}
	return id, true
}

func newUUID() string { return uuid.NewString() }

const autorisatiesRoot = "/autorisaties/api/v1/"

const besluitenRoot = "/besluiten/api/v1/"

const documentenRoot = "/documenten/api/v1/"

const notificatiesRoot = "/notificaties/api/v1/"

// selectielijstRoot is where the sandbox serves its own stand-in of VNG's Selectielijst API: the
// few resources its seeded catalogue refers to, in the shape of VNG's, so that the sandbox checks
// resultaattypen offline exactly as it checks those naming another Selectielijst. The content is
// the sandbox's own, not VNG's list: a real catalogue names the klassen of VNG's Selectielijst.
// Like VNG's, it is public and read-only.
const selectielijstRoot = "/selectielijst/api/v1"

const zakenRoot = "/zaken/api/v1/"

const catalogiRoot = "/catalogi/api/v1/"
