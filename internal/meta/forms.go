package meta

import "github.com/gemeenten/meta-bezwaar-connector/internal/objection"

// FormLinks are the addresses of Meta's objection forms per platform. They change, so they are
// configuration (META_FORM_FACEBOOK, META_FORM_INSTAGRAM).
type FormLinks map[objection.Platform]string

// DefaultFormLinks are the forms seen in 2025 (notes/meta.md).
func DefaultFormLinks() FormLinks {
	return FormLinks{
		objection.Facebook:  "https://www.facebook.com/help/contact/6359191084165019",
		objection.Instagram: "https://help.instagram.com/contact/233964459562201",
	}
}
