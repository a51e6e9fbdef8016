package accounts

import "strings"

// Device names the browser and system of a user agent, short and the same
// in every language ("Chrome · Windows", "Safari · iPhone", "Zalo ·
// Android"), for a person to recognise a session; "" when neither is
// known. The order of each table matters: the first match wins, and many
// browsers also call themselves Safari or Chrome.
func Device(ua string) string {
	browser := firstIn(ua, browsers)
	system := firstIn(ua, systems)
	switch {
	case browser == "" && system == "":
		return ""
	case browser == "":
		return system
	case system == "":
		return browser
	}
	return browser + " · " + system
}

type uaName struct{ token, name string }

var browsers = []uaName{
	{"Zalo", "Zalo"},
	{"coc_coc_browser", "Cốc Cốc"},
	{"Edg/", "Edge"}, {"EdgA/", "Edge"}, {"EdgiOS/", "Edge"},
	{"OPR/", "Opera"},
	{"SamsungBrowser/", "Samsung Internet"},
	{"Firefox/", "Firefox"}, {"FxiOS/", "Firefox"},
	{"CriOS/", "Chrome"}, {"Chrome/", "Chrome"},
	{"Safari/", "Safari"},
	{"curl/", "curl"},
	{"Go-http-client", "Go"},
	{"python-requests", "Python"},
}

var systems = []uaName{
	{"iPhone", "iPhone"}, {"iPad", "iPad"},
	{"Android", "Android"},
	{"Windows", "Windows"},
	{"CrOS", "ChromeOS"},
	{"Mac OS X", "macOS"}, {"Macintosh", "macOS"},
	{"Linux", "Linux"},
}

func firstIn(ua string, table []uaName) string {
	for _, x := range table {
		if strings.Contains(ua, x.token) {
			return x.name
		}
	}
	return ""
}
