package dossier

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/motcua/motcua/errs"
	"github.com/motcua/motcua/vntext"
)

// How the applicant receives the result ("Đăng ký nhận kết quả tại" on
// form 01): at the counter, by public post to an address, or online
// (the signed electronic result in the citizen's account).
const (
	DeliveryCounter = "counter"
	DeliveryPost    = "post"
	DeliveryOnline  = "online"
)

// DeliveryMethods are the methods in the order the wizard offers them.
var DeliveryMethods = []string{DeliveryCounter, DeliveryPost, DeliveryOnline}

// Delivery is how the applicant chose to receive the result.
type Delivery struct {
	Method  string `json:"method" enum:"counter,post,online" doc:"counter: at the one-stop counter; post: by public post (address required); online: the electronic result in the account"`
	Address string `json:"address,omitempty" maxLength:"255" doc:"post: the address the result is sent to"`
}

// Name is the delivery as form 01 prints it after "Đăng ký nhận kết quả
// tại:"; counter names the receiving office ("" = the one-stop counter).
func (d Delivery) Name(counter string) string {
	switch d.Method {
	case DeliveryCounter:
		if counter != "" {
			return counter
		}
		return "Bộ phận Một cửa"
	case DeliveryPost:
		return "Qua dịch vụ bưu chính công ích, gửi đến: " + d.Address
	case DeliveryOnline:
		return "Trực tuyến (bản điện tử trên tài khoản dịch vụ công)"
	}
	return ""
}

// CheckDelivery cleans d and returns its problems as fields "delivery.*":
// an unknown method, a post delivery without an address (at least five
// characters), text that is not clean. A nil d (not chosen) is no
// problem: the result is then handed over as the applicant asks later.
func CheckDelivery(d *Delivery) []errs.FieldError {
	if d == nil {
		return nil
	}
	d.Method = strings.TrimSpace(d.Method)
	addr, err := vntext.CheckText(strings.TrimSpace(d.Address))
	if err != nil {
		key, msg, _ := vntext.Problem(err, "Địa chỉ nhận kết quả")
		return []errs.FieldError{{Field: "delivery.address", Key: key, Message: msg}}
	}
	d.Address = addr
	switch d.Method {
	case DeliveryCounter, DeliveryOnline:
		d.Address = ""
	case DeliveryPost:
		if n := utf8.RuneCountInString(d.Address); n < 5 || n > 255 {
			return []errs.FieldError{{Field: "delivery.address", Key: "required", Message: "Nhận kết quả qua bưu chính: hãy ghi địa chỉ nhận (5–255 ký tự)."}}
		}
	default:
		return []errs.FieldError{{Field: "delivery.method", Key: "enum", Message: fmt.Sprintf("Cách nhận kết quả %q không có; chọn tại bộ phận một cửa, qua bưu chính hoặc trực tuyến.", d.Method)}}
	}
	return nil
}
