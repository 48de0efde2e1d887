package config

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gemeenten/meta-bezwaar-connector/internal/objection"
)

// The custom types below never fail to decode: they keep the parse error, so that Validate can
// report it together with every other problem (envconfig itself stops at the first error).

// Duration is a time.Duration read from the environment.
type Duration struct {
	time.Duration
	err error
}

// Decode implements envconfig.Decoder.
func (d *Duration) Decode(s string) error {
	v, err := time.ParseDuration(s)
	switch {
	case err != nil:
		d.err = fmt.Errorf("%q is not a duration such as 30s or 1h", s)
	case v <= 0:
		d.err = fmt.Errorf("%q must be positive", s)
	default:
		d.Duration = v
	}
	return nil
}

// Wait is a duration where 0 means "never" (switches the behaviour off).
type Wait struct {
	time.Duration
	err error
}

// Decode implements envconfig.Decoder.
func (d *Wait) Decode(s string) error {
	v, err := time.ParseDuration(s)
	switch {
	case err != nil:
		d.err = fmt.Errorf("%q is not a duration such as 72h (0: never)", s)
	case v < 0:
		d.err = fmt.Errorf("%q must not be negative", s)
	default:
		d.Duration = v
	}
	return nil
}

// Role is what an API client may do (the domain's roles).
type Role = objection.Role

// The roles of DESIGN §4.
const (
	RoleRegistrar = objection.RoleRegistrar
	RoleAuditor   = objection.RoleAuditor
	// RoleOperator sees health and the job queue in the web console (no API endpoint needs it).
	RoleOperator = objection.RoleOperator
)

// Client is one API client of the connector.
type Client struct {
	ID     string
	Secret string
	Roles  []Role
}

// Has reports whether the client has a role.
func (c Client) Has(r Role) bool { return slices.Contains(c.Roles, r) }

// Clients is CONNECTOR_CLIENTS: id:secret:role[+role],…
type Clients struct {
	List []Client
	err  error
}

// Decode implements envconfig.Decoder. Secrets never appear in its errors.
func (cs *Clients) Decode(s string) error {
	seen := map[string]bool{}
	for i, entry := range strings.Split(s, ",") {
		entry = strings.TrimSpace(entry)
		if entry == "" {
			continue
		}
		parts := strings.Split(entry, ":")
		if len(parts) != 3 || parts[0] == "" || parts[1] == "" || parts[2] == "" {
			cs.err = fmt.Errorf("entry %d is not id:secret:role[+role]", i+1)
			return nil
		}
		c := Client{ID: parts[0], Secret: parts[1]}
		if seen[c.ID] {
			cs.err = fmt.Errorf("client %q appears twice", c.ID)
			return nil
		}
		seen[c.ID] = true
		if len(c.Secret) < 16 {
			cs.err = fmt.Errorf("the secret of client %q is shorter than 16 characters", c.ID)
			return nil
		}
		for _, r := range strings.Split(parts[2], "+") {
			role := Role(r)
			if role != RoleRegistrar && role != RoleAuditor {
				cs.err = fmt.Errorf("client %q has unknown role %q (registrar, auditor)", c.ID, r)
				return nil
			}
			c.Roles = append(c.Roles, role)
		}
		cs.List = append(cs.List, c)
	}
	return nil
}

// Size is a number of bytes, written as 25MiB, 512KiB or plain bytes.
type Size struct {
	Bytes int64
	err   error
}

// Decode implements envconfig.Decoder.
func (s *Size) Decode(v string) error {
	units := []struct {
		suffix string
		factor int64
	}{{"GiB", 1 << 30}, {"MiB", 1 << 20}, {"KiB", 1 << 10}, {"B", 1}, {"", 1}}
	for _, u := range units {
		num, ok := strings.CutSuffix(strings.TrimSpace(v), u.suffix)
		if !ok {
			continue
		}
		n, err := strconv.ParseInt(strings.TrimSpace(num), 10, 64)
		if err != nil || n <= 0 {
			break
		}
		s.Bytes = n * u.factor
		return nil
	}
	s.err = fmt.Errorf("%q is not a size such as 25MiB", v)
	return nil
}

// Senders is META_SENDER_DOMAINS: domain=platform,…
type Senders struct {
	Domains map[string]string
	err     error
}

// Decode implements envconfig.Decoder.
func (s *Senders) Decode(v string) error {
	s.Domains = map[string]string{}
	for _, entry := range strings.Split(v, ",") {
		domain, platform, ok := strings.Cut(strings.TrimSpace(entry), "=")
		if !ok || domain == "" || (platform != "facebook" && platform != "instagram") {
			s.err = fmt.Errorf("%q is not domain=facebook or domain=instagram", entry)
			return nil
		}
		s.Domains[strings.ToLower(domain)] = platform
	}
	return nil
}

// Count is a positive whole number.
type Count struct {
	N   int
	err error
}

// Decode implements envconfig.Decoder.
func (c *Count) Decode(v string) error {
	n, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil || n <= 0 {
		c.err = fmt.Errorf("%q is not a positive whole number", v)
		return nil
	}
	c.N = n
	return nil
}

// Account is one of the municipality's accounts (CONNECTOR_ACCOUNTS).
type Account struct{ Platform, Name, URL, Email string }

// Accounts is CONNECTOR_ACCOUNTS: platform|name|url|email;… (url may be empty).
type Accounts struct {
	List []Account
	err  error
}

// Decode implements envconfig.Decoder.
func (as *Accounts) Decode(v string) error {
	for i, entry := range strings.Split(v, ";") {
		if strings.TrimSpace(entry) == "" {
			continue
		}
		f := strings.Split(entry, "|")
		if len(f) != 4 || (strings.TrimSpace(f[0]) != "facebook" && strings.TrimSpace(f[0]) != "instagram") || strings.TrimSpace(f[1]) == "" || !strings.Contains(f[3], "@") {
			as.err = fmt.Errorf("account %d is not facebook|name|url|email or instagram|name|url|email", i+1)
			return nil
		}
		as.List = append(as.List, Account{Platform: strings.TrimSpace(f[0]), Name: strings.TrimSpace(f[1]), URL: strings.TrimSpace(f[2]), Email: strings.TrimSpace(f[3])})
	}
	return nil
}
