//! Vietnamese words and phrases for generated tickets, and the small random source that picks
//! them. Texts carry full diacritics (composed, as customers type them) so that search and
//! its diacritic folding are measured on realistic input.

/// A fast deterministic generator (SplitMix64). Ticket `i` of a run always gets the same
/// content, and no dependency is needed for it.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x9e37_79b9_7f4a_7c15)
    }

    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n` > 0).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    /// A number in `lo..=hi`.
    pub fn between(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.below(hi - lo + 1)
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }

    /// True with probability `percent` / 100.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

pub const SURNAMES: &[&str] = &[
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ",
    "Hồ", "Ngô", "Dương", "Lý",
];
pub const MIDDLE: &[&str] = &["Văn", "Thị", "Hữu", "Minh", "Thanh", "Đức", "Ngọc", "Quang"];
pub const GIVEN: &[&str] = &[
    "An", "Bình", "Châu", "Dũng", "Giang", "Hà", "Hải", "Hạnh", "Hiếu", "Hùng", "Hương", "Khánh",
    "Lan", "Linh", "Long", "Mai", "Nam", "Nga", "Phúc", "Quân", "Sơn", "Tâm", "Thảo", "Trang",
    "Tuấn", "Việt", "Yến",
];

/// How a subject opens, by kind.
pub const REQUEST_OPENERS: &[&str] = &[
    "Đăng ký",
    "Hỏi về",
    "Yêu cầu hỗ trợ",
    "Cần tư vấn",
    "Xin cấp lại",
    "Đề nghị kiểm tra",
];
pub const COMPLAINT_OPENERS: &[&str] = &[
    "Khiếu nại",
    "Phản ánh",
    "Không hài lòng về",
    "Khiếu nại chậm trễ",
    "Sai sót trong",
];
pub const FEEDBACK_OPENERS: &[&str] = &["Góp ý", "Đề xuất cải tiến", "Ý kiến về", "Nhận xét về"];

/// What the contact is about.
pub const THINGS: &[&str] = &[
    "hóa đơn",
    "bảo hành",
    "đơn hàng",
    "giao hàng",
    "thanh toán",
    "tài khoản",
    "hợp đồng",
    "dịch vụ lắp đặt",
    "sản phẩm lỗi",
    "phí vận chuyển",
    "khuyến mãi",
    "đổi trả",
    "thẻ thành viên",
    "phần mềm",
    "bản thiết kế",
    "đăng ký bảo hành",
];

pub const PLACES: &[&str] = &[
    "Hà Nội",
    "Đà Nẵng",
    "Thành phố Hồ Chí Minh",
    "Hải Phòng",
    "Cần Thơ",
    "Huế",
    "Nha Trang",
    "Đà Lạt",
    "Vũng Tàu",
    "Quảng Ninh",
];

/// Sentences that bodies are built from.
pub const SENTENCES: &[&str] = &[
    "Tôi đã mua sản phẩm tại cửa hàng nhưng chưa nhận được hóa đơn đỏ.",
    "Nhân viên giao hàng đến muộn hai ngày so với lịch hẹn.",
    "Xin cho biết thủ tục đăng ký bảo hành trực tuyến.",
    "Sản phẩm bị lỗi ngay trong tuần đầu sử dụng.",
    "Tôi muốn đổi sang gói dịch vụ khác phù hợp hơn.",
    "Số tiền trên hóa đơn không khớp với báo giá ban đầu.",
    "Tổng đài không trả lời khi tôi gọi vào giờ hành chính.",
    "Đề nghị công ty kiểm tra lại đơn hàng của tôi.",
    "Tôi đã chuyển khoản nhưng tài khoản chưa được kích hoạt.",
    "Mong quý công ty phản hồi sớm để tôi sắp xếp công việc.",
    "Chi nhánh ở Đà Nẵng hẹn lắp đặt vào thứ bảy tuần này.",
    "Ứng dụng thường xuyên bị treo khi thanh toán.",
    "Tôi cần bản sao hợp đồng để làm thủ tục khiếu nại với ngân hàng.",
    "Cửa hàng từ chối đổi trả dù sản phẩm còn trong thời hạn bảo hành.",
    "Giao diện mới khó tìm mục tra cứu đơn hàng.",
    "Nên bổ sung hình thức thanh toán qua ví điện tử.",
    "Tôi rất hài lòng với thái độ phục vụ của nhân viên.",
    "Khuyến mãi tháng này không được áp dụng cho đơn hàng của tôi.",
];

/// Staff answers, after the policy greeting.
pub const ANSWERS: &[&str] = &[
    "chúng tôi đã tiếp nhận và đang kiểm tra thông tin quý khách cung cấp.",
    "bộ phận kỹ thuật sẽ liên hệ với quý khách trong thời gian sớm nhất.",
    "hóa đơn điện tử đã được gửi lại vào địa chỉ thư của quý khách.",
    "yêu cầu bảo hành của quý khách đã được chấp nhận.",
    "xin quý khách vui lòng cung cấp thêm số đơn hàng để chúng tôi tra cứu.",
    "chúng tôi xin lỗi vì sự bất tiện và đã hoàn tiền cho quý khách.",
];

/// Internal notes between staff.
pub const NOTES: &[&str] = &[
    "Đã gọi điện cho khách, hẹn gọi lại chiều nay.",
    "Chuyển thông tin cho kho kiểm tra tồn hàng.",
    "Khách hàng thân thiết, ưu tiên xử lý.",
    "Đang chờ kế toán xác nhận hóa đơn.",
];

/// Two-word queries without diacritics, as people type them into a search box; each has
/// matches in generated text once diacritics are folded.
pub const QUERIES: &[&str] = &[
    "khieu nai",
    "dang ky",
    "da nang",
    "hoa don",
    "bao hanh",
    "giao hang",
    "thanh toan",
    "don hang",
    "doi tra",
    "tai khoan",
];
