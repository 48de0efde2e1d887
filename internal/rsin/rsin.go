// Package rsin checks Dutch RSIN numbers (the identifier of an organisation, e.g. the
// bronorganisatie of a zaak).
package rsin

// Valid reports whether s is nine digits passing the elfproef: 9·d1 + 8·d2 + … + 2·d8 − d9 is a
// multiple of 11. This is the check the ZGW APIs apply to bronorganisatie and
// verantwoordelijkeOrganisatie.
func Valid(s string) bool {
	if len(s) != 9 {
		return false
	}
	sum := 0
	for i := range 9 {
		c := s[i]
		if c < '0' || c > '9' {
			return false
		}
		d := int(c - '0')
		if i == 8 {
			sum -= d
		} else {
			sum += d * (9 - i)
		}
	}
	return sum%11 == 0
}
