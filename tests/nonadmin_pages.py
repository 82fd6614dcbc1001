"""Vietnamese pages that are not administrative documents (news, sport, recipes, shop pages, forums, weather,
finance, school, health, travel, tech, history, poems, wiki tables), generated offline: sentences written for this
file, slots filled at random, plus word salads from underthesea's bundled dictionary (Viet74K) when it is installed.
Nothing is downloaded. A parser must survive text it was not made for: see benchmarks/nonadmin.py and
tests/test_nonadmin.py.
"""
from __future__ import annotations

import random
from functools import lru_cache
from pathlib import Path

NAMES = ["Minh", "Lan", "Hùng", "Thảo", "Quân", "Hương", "Tuấn", "Mai", "Dũng", "Ngọc", "Bảo", "Vy"]
PLACES = ["Đà Lạt", "Hội An", "Sa Pa", "Phú Quốc", "Cần Thơ", "Huế", "Hạ Long", "Quy Nhơn", "Buôn Ma Thuột"]
TEAMS = ["Sông Lam Nghệ An", "Hoàng Anh Gia Lai", "Hà Nội FC", "Công an Hà Nội", "Thép Xanh Nam Định"]
DISHES = ["phở bò", "bún chả", "bánh xèo", "canh chua", "gà kho gừng", "chè đậu xanh", "bánh mì", "cơm tấm"]
PRODUCTS = ["tai nghe", "nồi chiên không dầu", "điện thoại", "áo khoác", "máy lọc nước", "bàn phím cơ"]
EMOJI = ["😂", "👍", "❤️", "🔥", "😭", "🙏", "✅", "⭐"]


def _num(r: random.Random) -> str:
    i = r.randint
    return r.choice([str(i(0, 100)), f"{i(0, 99)},{i(0, 99)}", f"{i(1, 9)}.{i(0, 999):03d}", f"{i(0, 9)}.{i(0, 99)}",
                     f"{i(1, 999)}.{i(0, 999):03d}.{i(0, 999):03d}", f"{i(1, 12)}h{i(0, 59):02d}",
                     "0", "1/2", "3/4", "0/0", "1/0", "6.2/1", "158.55/200", "2-1", "1:3", "x2", "~30", "+/-5",
                     "1.5.2024", "3,14159", "99.9", "1/2/3/4", ",5", "5."])


def _pct(r: random.Random) -> str:
    return r.choice([f"{_num(r)}%", f"{r.randint(10, 50)}%-{r.randint(51, 90)}%", f"{_num(r)} %", "100%", "0%",
                     f"{r.randint(1, 9)},{r.randint(0, 9)}%/năm", "50%%"])


def _date(r: random.Random) -> str:
    i = r.randint
    return r.choice([f"{i(1, 31)}/{i(1, 12)}", f"{i(1, 31)}/{i(1, 12)}/{i(1900, 2030)}", f"năm {i(0, 2100)}",
                     f"ngày {i(0, 32)} tháng {i(0, 13)}", f"tháng {i(1, 12)}/{i(2000, 2030)}",
                     "Thứ Hai, 05/07/2025 08:30 (GMT+7)", f"quý {r.choice(['I', 'II', 'III', 'IV', '1', '5'])}",
                     "thế kỷ X", f"{i(1, 31)}-{i(1, 12)}-{i(2000, 2030)}", "6 tháng đầu năm",
                     f"ngày … tháng {i(1, 12)}", "năm 0000", "29/2/2023", "31/4"])


SENTENCES = {
    "news": ["Sáng {date}, {name} cùng hàng trăm người dân {place} đã tham gia ngày hội đọc sách.",
             "Theo thống kê, lượng khách đến {place} tăng {pct} so với cùng kỳ năm ngoái.",
             "Giá xăng RON 95 giảm {num} đồng/lít từ 15h chiều {date}.",
             "Cơn mưa lớn kéo dài {num} giờ khiến nhiều tuyến phố ở {place} ngập sâu.",
             "Khoảng {num}/{num} hộ dân trong xóm đã có nước sạch, đạt {pct}."],
    "sport": ["{team} thắng {num} trước {team} ở vòng {num}.", "Tỷ số chung cuộc {num}, kiểm soát bóng {pct}.",
              "Tiền đạo {name} đã ghi {num} bàn sau {num} trận, hiệu suất {num}/trận.",
              "Trận đấu diễn ra lúc {num} ngày {date} trên sân {place}."],
    "recipe": ["Cho {num} thìa nước mắm, {num}/{num} chén đường và {num}g thịt vào nồi.",
               "Món {dish} ngon nhất khi ăn nóng, nấu trong {num} phút ở lửa vừa.",
               "Bước {num}: ướp thịt với {num} muỗng canh hạt nêm, để {num}-{num} tiếng.",
               "Tỷ lệ gạo và nước là 1:{num}, có thể giảm {pct} nước nếu thích cơm khô."],
    "shop": ["{product} giá chỉ {num}.000đ, giảm {pct} đến hết {date}!!!", "Mua 2 tặng 1, freeship đơn từ {num}k.",
             "Đánh giá {num}/5 sao ({num} lượt), còn {num} sản phẩm.",
             "Bảo hành {num} tháng, đổi trả trong {num} ngày.",
             "Giá cũ: {num}.000đ | Giá mới: {num}.000đ | Tiết kiệm: {pct}"],
    "forum": ["mình thấy {product} này cũng ok mà ko hiểu sao dc ít ng mua {emoji}",
              "ai ở {place} cho mình hỏi đường với ạ {emoji}{emoji}", "@{name} bạn ơi inbox mình nhé!!!",
              "chuẩn luôn {pct} luôn á {emoji}", "hic… {date} mới có hàng, đợi dài cổ :((",
              "Trả lời #{num}: {name} viết lúc {date}"],
    "weather": ["Nhiệt độ {place} từ {num}-{num}°C, độ ẩm {pct}.", "Khả năng mưa {pct}, gió cấp {num}, giật cấp {num}.",
                "Chỉ số UV {num}/11, mức nguy cơ cao."],
    "finance": ["VN-Index tăng {pct} lên {num} điểm, thanh khoản đạt {num} tỷ đồng.",
                "Tỷ giá trung tâm ở mức {num} đồng/USD, lãi suất tiết kiệm {pct}.",
                "Lợi nhuận quý {num} đạt {num} tỷ, tăng {pct}, biên lợi nhuận {num}/{num}.",
                "Giá vàng SJC: mua vào {num} triệu đồng/lượng, bán ra {num} triệu đồng/lượng."],
    "school": ["Điểm chuẩn năm nay là {num}/30, tỷ lệ chọi 1/{num}.",
               "Em {name} đạt {num}/10 môn Toán, {num} điểm Văn.",
               "Lớp có {num}/{num} học sinh đạt loại giỏi ({pct}).", "Hạn nộp hồ sơ: {date}."],
    "health": ["Uống {num} viên/ngày, chia {num} lần sau ăn.", "Tỷ lệ tiêm mũi {num} đạt {pct} dân số trên {num} tuổi.",
               "Huyết áp {num}/{num} mmHg là bình thường.",
               "Bệnh viện tiếp nhận {num} ca, {num}/{num} ca đã xuất viện."],
    "travel": ["Vé máy bay khứ hồi {place} khoảng {num}.000.000đ/người.",
               "Homestay ở {place} giá {num}k/đêm, view đồi thông.",
               "Đi từ {place} tới {place} mất {num} tiếng, quãng đường {num} km."],
    "tech": ["Bản cập nhật {num} có dung lượng {num}GB, hỗ trợ 5G và Wi-Fi 6E.",
             "Pin {num} mAh, sạc nhanh {num}W, màn {num} inch.",
             "Hiệu năng tăng {pct} so với thế hệ trước; giá từ {num} triệu.",
             "Tải tại https://vidu.vn/tai-ve?id={num}&v=2.0.1"],
    "history": ["Năm {num}, chiến thắng Bạch Đằng mở ra thời kỳ độc lập lâu dài.",
                "Ngày {date}, tại quảng trường Ba Đình…",
                "Thế kỷ XV, nhà Hậu Lê ban hành bộ luật Hồng Đức.",
                "Từ năm {num} đến năm {num}, dân số tăng gấp {num} lần."],
    "poem": ["Trăm năm trong cõi người ta,", "Chữ tài chữ mệnh khéo là ghét nhau.", "Thuyền về có nhớ bến chăng,",
             "Bến thì một dạ khăng khăng đợi thuyền."],
}
HEADLINES = ["TIN NÓNG", "THỂ THAO 24H", "CÔNG THỨC NẤU ĂN", "SIÊU SALE CUỐI NĂM", "DIỄN ĐÀN HỎI ĐÁP",
             "DỰ BÁO THỜI TIẾT",
             "BẢN TIN TÀI CHÍNH", "TUYỂN SINH 2025", "SỨC KHỎE & ĐỜI SỐNG", "CẨM NANG DU LỊCH", "CÔNG NGHỆ",
             "LỊCH SỬ VIỆT NAM", "THƠ HAY MỖI NGÀY"]


@lru_cache(maxsize=1)
def dictionary_words() -> tuple[str, ...]:
    """underthesea's bundled word list (read from the installed package, never downloaded); empty without it."""
    try:
        import importlib.util

        spec = importlib.util.find_spec("underthesea")
    except (ImportError, ValueError):
        return ()
    if spec is None or not spec.origin:
        return ()
    path = Path(spec.origin).parent / "corpus" / "data" / "Viet74K.txt"
    return tuple(w for w in path.read_text(encoding="utf-8").splitlines() if w.strip()) if path.is_file() else ()


def _fill(template: str, r: random.Random) -> str:
    out = template
    for slot, make in (("{date}", _date), ("{pct}", _pct), ("{num}", _num), ("{name}", lambda r: r.choice(NAMES)),
                       ("{place}", lambda r: r.choice(PLACES)), ("{team}", lambda r: r.choice(TEAMS)),
                       ("{dish}", lambda r: r.choice(DISHES)), ("{product}", lambda r: r.choice(PRODUCTS)),
                       ("{emoji}", lambda r: r.choice(EMOJI))):
        while slot in out:
            out = out.replace(slot, make(r), 1)
    return out


def _salad(r: random.Random) -> str:
    words = dictionary_words()
    if not words:
        return _fill(r.choice(SENTENCES["poem"]), r)
    s = " ".join(r.choice(words) for _ in range(r.randint(4, 25)))
    return s[:1].upper() + s[1:] + r.choice([".", "!", "?", "", "…", ":"])


def page(i: int, seed: int = 0) -> str:
    """Page `i`: a headline, a dateline, paragraphs of one genre, sometimes a list, a table, comments, a footer."""
    r = random.Random(seed * 1_000_003 + i)
    genre = r.choice(sorted(SENTENCES))
    lines = [r.choice(HEADLINES) if r.random() < 0.5 else HEADLINES[sorted(SENTENCES).index(genre)],
             _fill(r.choice(SENTENCES[genre]), r).upper() if r.random() < 0.3 else "", _date(r)]
    for _ in range(r.randint(2, 12)):
        para = " ".join(_fill(r.choice(SENTENCES[genre]), r) if r.random() < 0.8 else _salad(r)
                        for _ in range(r.randint(1, 6)))
        lines.append(para)
        roll = r.random()
        if roll < 0.15:
            lines.extend(f"{r.choice(['-', '+', '*', '•', '1.', 'a)'])} {_fill(r.choice(SENTENCES[genre]), r)}"
                         for _ in range(r.randint(2, 6)))
        elif roll < 0.25:
            sep = r.choice([" | ", "\t", "|"])
            lines.append(sep.join(["STT", "Tên", "Giá", "Tỷ lệ", "Ghi chú"]))
            lines.extend(sep.join([str(k), r.choice(PRODUCTS + DISHES + PLACES), _num(r), _pct(r), _date(r)])
                         for k in range(1, r.randint(3, 15)))
        elif roll < 0.3:
            lines.append(f"<p>{_fill(r.choice(SENTENCES[genre]), r)}</p><br/>&nbsp;")
    if r.random() < 0.3:
        lines.append("Bình luận:")
        lines.extend(_fill(r.choice(SENTENCES["forum"]), r) for _ in range(r.randint(1, 8)))
    lines.append(r.choice(["© 2025 Báo Điện tử Ví Dụ. Ghi rõ nguồn khi phát hành lại.", "Chia sẻ | Thích | Bình luận",
                           "Nguồn: tổng hợp", "Xem thêm: https://vidu.vn/tin-khac", ""]))
    return "\n".join(lines)


def pages(n: int, seed: int = 0):
    for i in range(n):
        yield page(i, seed)
