package objection

import (
	"time"
	_ "time/tzdata" // Europe/Amsterdam also where the system has no zone database (containers)
)

// Amsterdam is the time zone of Dutch municipalities: deadlines end and dossiers show time in it.
var Amsterdam = mustZone("Europe/Amsterdam")

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err) // embedded by time/tzdata
	}
	return loc
}

// DueAt is the moment a decision's deadline (YYYY-MM-DD) has passed: the end of that day in
// Amsterdam. nil without a deadline.
func (d Decision) DueAt() *time.Time {
	day, err := time.ParseInLocation(time.DateOnly, d.Deadline, Amsterdam)
	if err != nil {
		return nil
	}
	due := day.AddDate(0, 0, 1).UTC()
	return &due
}

// ParseMoment reads a moment (RFC 3339), or a day: taken as noon in Amsterdam, or as now when
// the day is today (noon of today may not have come yet).
func ParseMoment(s string, now time.Time) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	day, err := time.ParseInLocation(time.DateOnly, s, Amsterdam)
	if err == nil && s == now.In(Amsterdam).Format(time.DateOnly) {
		return now, nil
	}
	return day.Add(12 * time.Hour), err
}
