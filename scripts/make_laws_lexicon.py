"""Build docparse/lexicon/laws.json: Vietnamese laws, codes (Bộ luật), the Constitution and ordinances (Pháp lệnh) —
name, number, date passed, amended-by — from two sources, both facts only (names, codes, dates; never a sentence):

- PUBLIC below: the laws in force and recently amended, as published (name, number, date the National Assembly
  passed it), typed in by hand; a law whose number is not recorded here has "-" and is only recognised by name;
- the corpus: coded law mentions that write the name right before the number ("Luật Đất đai số 31/2024/QH15 ngày
  18/01/2024"), kept only when consistent (one code per name and year across all mentions; a date only when every
  dated mention agrees) and when they do not contradict PUBLIC (a corpus name for a code PUBLIC knows under another
  name is a slip of the citing document and is dropped).

amended_by: the amending laws of PUBLIC whose names list the law (the latest law of that name passed before the
amending one), and what the corpus writes ("… được sửa đổi, bổ sung bởi Luật số …"). ALIASES: short or variant
names that stand for a law ("Luật Thuế GTGT"); VARIANTS: those that are titles on their own ("Luật Lao động" for
the Bộ luật Lao động), reported as written.

    python scripts/make_laws_lexicon.py ../shared/corpus/seeds ../shared/corpus/public ../shared/corpus/pool

Running it again on the same corpus reproduces the file byte for byte.
"""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from docparse.errors import DocparseError  # noqa: E402
from docparse.identity import code_year  # noqa: E402
from docparse.laws import coded_pairs, consistent_index, name_key  # noqa: E402
from docparse.pipeline import build_document  # noqa: E402
from docparse.readers import read  # noqa: E402

OUT = ROOT / "docparse" / "lexicon" / "laws.json"
_SUFFIXES = {".md", ".txt", ".docx", ".doc", ".pdf", ".html", ".htm"}

# code | ISO date passed | name
PUBLIC = """
- | 2013-11-28 | Hiến pháp nước Cộng hòa xã hội chủ nghĩa Việt Nam
- | 1992-04-15 | Hiến pháp nước Cộng hòa xã hội chủ nghĩa Việt Nam
91/2015/QH13 | 2015-11-24 | Bộ luật Dân sự
33/2005/QH11 | 2005-06-14 | Bộ luật Dân sự
100/2015/QH13 | 2015-11-27 | Bộ luật Hình sự
101/2015/QH13 | 2015-11-27 | Bộ luật Tố tụng hình sự
92/2015/QH13 | 2015-11-25 | Bộ luật Tố tụng dân sự
45/2019/QH14 | 2019-11-20 | Bộ luật Lao động
10/2012/QH13 | 2012-06-18 | Bộ luật Lao động
95/2015/QH13 | 2015-11-25 | Bộ luật Hàng hải Việt Nam
93/2015/QH13 | 2015-11-25 | Luật Tố tụng hành chính
45/2013/QH13 | 2013-11-29 | Luật Đất đai
31/2024/QH15 | 2024-01-18 | Luật Đất đai
13/2003/QH11 | 2003-11-26 | Luật Đất đai
43/2013/QH13 | 2013-11-26 | Luật Đấu thầu
22/2023/QH15 | 2023-06-23 | Luật Đấu thầu
42/2013/QH13 | 2013-11-25 | Luật Tiếp công dân
33/2013/QH13 | 2013-06-19 | Luật Phòng, chống thiên tai
29/2013/QH13 | 2013-06-18 | Luật Khoa học và công nghệ
93/2025/QH15 | 2025-06-27 | Luật Khoa học, công nghệ và đổi mới sáng tạo
25/2012/QH13 | 2012-11-21 | Luật Thủ đô
39/2024/QH15 | 2024-06-28 | Luật Thủ đô
11/2012/QH13 | 2012-06-20 | Luật Giá
16/2023/QH15 | 2023-06-19 | Luật Giá
15/2012/QH13 | 2012-06-20 | Luật Xử lý vi phạm hành chính
14/2012/QH13 | 2012-06-20 | Luật Phổ biến, giáo dục pháp luật
08/2012/QH13 | 2012-06-18 | Luật Giáo dục đại học
17/2012/QH13 | 2012-06-21 | Luật Tài nguyên nước
28/2023/QH15 | 2023-11-27 | Luật Tài nguyên nước
23/2012/QH13 | 2012-11-20 | Luật Hợp tác xã
17/2023/QH15 | 2023-06-20 | Luật Hợp tác xã
07/2012/QH13 | 2012-06-18 | Luật Phòng, chống rửa tiền
14/2022/QH15 | 2022-11-15 | Luật Phòng, chống rửa tiền
12/2012/QH13 | 2012-06-20 | Luật Công đoàn
50/2024/QH15 | 2024-11-27 | Luật Công đoàn
16/2012/QH13 | 2012-06-21 | Luật Quảng cáo
19/2012/QH13 | 2012-11-20 | Luật Xuất bản
09/2012/QH13 | 2012-06-18 | Luật Phòng, chống tác hại của thuốc lá
44/2019/QH14 | 2019-06-14 | Luật Phòng, chống tác hại của rượu, bia
18/2012/QH13 | 2012-06-21 | Luật Biển Việt Nam
44/2013/QH13 | 2013-11-26 | Luật Thực hành tiết kiệm, chống lãng phí
28/2013/QH13 | 2013-06-12 | Luật Phòng, chống khủng bố
35/2013/QH13 | 2013-06-20 | Luật Hòa giải ở cơ sở
38/2013/QH13 | 2013-11-16 | Luật Việc làm
74/2025/QH15 | 2025-06-16 | Luật Việc làm
57/2020/QH14 | 2020-06-16 | Luật Thanh niên
49/2014/QH13 | 2014-06-18 | Luật Đầu tư công
39/2019/QH14 | 2019-06-13 | Luật Đầu tư công
58/2024/QH15 | 2024-11-29 | Luật Đầu tư công
50/2014/QH13 | 2014-06-18 | Luật Xây dựng
55/2014/QH13 | 2014-06-23 | Luật Bảo vệ môi trường
72/2020/QH14 | 2020-11-17 | Luật Bảo vệ môi trường
54/2014/QH13 | 2014-06-23 | Luật Hải quan
65/2014/QH13 | 2014-11-25 | Luật Nhà ở
27/2023/QH15 | 2023-11-27 | Luật Nhà ở
66/2014/QH13 | 2014-11-25 | Luật Kinh doanh bất động sản
29/2023/QH15 | 2023-11-28 | Luật Kinh doanh bất động sản
68/2014/QH13 | 2014-11-26 | Luật Doanh nghiệp
59/2020/QH14 | 2020-06-17 | Luật Doanh nghiệp
67/2014/QH13 | 2014-11-26 | Luật Đầu tư
61/2020/QH14 | 2020-06-17 | Luật Đầu tư
64/2020/QH14 | 2020-06-18 | Luật Đầu tư theo phương thức đối tác công tư
58/2014/QH13 | 2014-11-20 | Luật Bảo hiểm xã hội
41/2024/QH15 | 2024-06-29 | Luật Bảo hiểm xã hội
60/2014/QH13 | 2014-11-20 | Luật Hộ tịch
59/2014/QH13 | 2014-11-20 | Luật Căn cước công dân
26/2023/QH15 | 2023-11-27 | Luật Căn cước
73/2014/QH13 | 2014-11-27 | Luật Công an nhân dân
37/2018/QH14 | 2018-11-20 | Luật Công an nhân dân
62/2014/QH13 | 2014-11-24 | Luật Tổ chức Tòa án nhân dân
34/2024/QH15 | 2024-06-24 | Luật Tổ chức Tòa án nhân dân
63/2014/QH13 | 2014-11-24 | Luật Tổ chức Viện kiểm sát nhân dân
57/2014/QH13 | 2014-11-20 | Luật Tổ chức Quốc hội
76/2015/QH13 | 2015-06-19 | Luật Tổ chức Chính phủ
63/2025/QH15 | 2025-02-18 | Luật Tổ chức Chính phủ
77/2015/QH13 | 2015-06-19 | Luật Tổ chức chính quyền địa phương
65/2025/QH15 | 2025-02-19 | Luật Tổ chức chính quyền địa phương
72/2025/QH15 | 2025-06-16 | Luật Tổ chức chính quyền địa phương
80/2015/QH13 | 2015-06-22 | Luật Ban hành văn bản quy phạm pháp luật
64/2025/QH15 | 2025-02-19 | Luật Ban hành văn bản quy phạm pháp luật
01/2002/QH11 | 2002-12-16 | Luật Ngân sách nhà nước
83/2015/QH13 | 2015-06-25 | Luật Ngân sách nhà nước
89/2025/QH15 | 2025-06-25 | Luật Ngân sách nhà nước
03/2003/QH11 | 2003-06-17 | Luật Kế toán
88/2015/QH13 | 2015-11-20 | Luật Kế toán
89/2015/QH13 | 2015-11-23 | Luật Thống kê
86/2015/QH13 | 2015-11-19 | Luật An toàn thông tin mạng
85/2015/QH13 | 2015-06-25 | Luật Bầu cử đại biểu Quốc hội và đại biểu Hội đồng nhân dân
81/2015/QH13 | 2015-06-24 | Luật Kiểm toán nhà nước
75/2015/QH13 | 2015-06-09 | Luật Mặt trận Tổ quốc Việt Nam
87/2015/QH13 | 2015-11-20 | Luật Hoạt động giám sát của Quốc hội và Hội đồng nhân dân
96/2015/QH13 | 2015-11-25 | Luật Trưng cầu ý dân
97/2015/QH13 | 2015-11-25 | Luật Phí và lệ phí
94/2015/QH13 | 2015-11-25 | Luật Thi hành tạm giữ, tạm giam
99/2015/QH13 | 2015-11-26 | Luật Tổ chức cơ quan điều tra hình sự
90/2015/QH13 | 2015-11-23 | Luật Khí tượng thủy văn
82/2015/QH13 | 2015-06-25 | Luật Tài nguyên, môi trường biển và hải đảo
79/2015/QH13 | 2015-06-19 | Luật Thú y
84/2015/QH13 | 2015-06-25 | Luật An toàn, vệ sinh lao động
04/2011/QH13 | 2011-11-11 | Luật Đo lường
22/2018/QH14 | 2018-06-08 | Luật Quốc phòng
78/2015/QH13 | 2015-06-19 | Luật Nghĩa vụ quân sự
98/2015/QH13 | 2015-11-26 | Luật Quân nhân chuyên nghiệp, công nhân và viên chức quốc phòng
43/2009/QH12 | 2009-11-23 | Luật Dân quân tự vệ
48/2019/QH14 | 2019-11-22 | Luật Dân quân tự vệ
53/2019/QH14 | 2019-11-26 | Luật Lực lượng dự bị động viên
103/2016/QH13 | 2016-04-05 | Luật Báo chí
104/2016/QH13 | 2016-04-06 | Luật Tiếp cận thông tin
105/2016/QH13 | 2016-04-06 | Luật Dược
102/2016/QH13 | 2016-04-05 | Luật Trẻ em
108/2016/QH13 | 2016-04-09 | Luật Điều ước quốc tế
107/2016/QH13 | 2016-04-06 | Luật Thuế xuất khẩu, thuế nhập khẩu
02/2016/QH14 | 2016-11-18 | Luật Tín ngưỡng, tôn giáo
01/2016/QH14 | 2016-11-17 | Luật Đấu giá tài sản
07/2017/QH14 | 2017-06-19 | Luật Chuyển giao công nghệ
04/2017/QH14 | 2017-06-12 | Luật Hỗ trợ doanh nghiệp nhỏ và vừa
05/2017/QH14 | 2017-06-12 | Luật Quản lý ngoại thương
15/2017/QH14 | 2017-06-21 | Luật Quản lý, sử dụng tài sản công
14/2017/QH14 | 2017-06-20 | Luật Quản lý, sử dụng vũ khí, vật liệu nổ và công cụ hỗ trợ
42/2024/QH15 | 2024-06-29 | Luật Quản lý, sử dụng vũ khí, vật liệu nổ và công cụ hỗ trợ
11/2017/QH14 | 2017-06-20 | Luật Trợ giúp pháp lý
09/2017/QH14 | 2017-06-19 | Luật Du lịch
18/2017/QH14 | 2017-11-21 | Luật Thủy sản
16/2017/QH14 | 2017-11-15 | Luật Lâm nghiệp
21/2017/QH14 | 2017-11-24 | Luật Quy hoạch
20/2017/QH14 | 2017-11-23 | Luật Quản lý nợ công
10/2017/QH14 | 2017-06-20 | Luật Trách nhiệm bồi thường của Nhà nước
13/2017/QH14 | 2017-06-20 | Luật Cảnh vệ
06/2017/QH14 | 2017-06-16 | Luật Đường sắt
95/2025/QH15 | 2025-06-27 | Luật Đường sắt
08/2017/QH14 | 2017-06-19 | Luật Thủy lợi
23/2018/QH14 | 2018-06-12 | Luật Cạnh tranh
24/2018/QH14 | 2018-06-12 | Luật An ninh mạng
25/2018/QH14 | 2018-06-12 | Luật Tố cáo
02/2011/QH13 | 2011-11-11 | Luật Khiếu nại
56/2010/QH12 | 2010-11-15 | Luật Thanh tra
11/2022/QH15 | 2022-11-14 | Luật Thanh tra
84/2025/QH15 | 2025-06-25 | Luật Thanh tra
36/2018/QH14 | 2018-11-20 | Luật Phòng, chống tham nhũng
30/2018/QH14 | 2018-11-19 | Luật Đặc xá
32/2018/QH14 | 2018-11-19 | Luật Chăn nuôi
31/2018/QH14 | 2018-11-19 | Luật Trồng trọt
43/2019/QH14 | 2019-06-14 | Luật Giáo dục
38/2005/QH11 | 2005-06-14 | Luật Giáo dục
29/2018/QH14 | 2018-11-15 | Luật Bảo vệ bí mật nhà nước
33/2018/QH14 | 2018-11-19 | Luật Cảnh sát biển Việt Nam
27/2018/QH14 | 2018-06-14 | Luật Đo đạc và bản đồ
38/2019/QH14 | 2019-06-13 | Luật Quản lý thuế
78/2006/QH11 | 2006-11-29 | Luật Quản lý thuế
40/2019/QH14 | 2019-06-13 | Luật Kiến trúc
54/2019/QH14 | 2019-11-26 | Luật Chứng khoán
49/2019/QH14 | 2019-11-22 | Luật Xuất cảnh, nhập cảnh của công dân Việt Nam
47/2014/QH13 | 2014-06-16 | Luật Nhập cảnh, xuất cảnh, quá cảnh, cư trú của người nước ngoài tại Việt Nam
41/2019/QH14 | 2019-06-14 | Luật Thi hành án hình sự
46/2019/QH14 | 2019-11-21 | Luật Thư viện
22/2008/QH12 | 2008-11-13 | Luật Cán bộ, công chức
80/2025/QH15 | 2025-06-24 | Luật Cán bộ, công chức
58/2010/QH12 | 2010-11-15 | Luật Viên chức
15/2003/QH11 | 2003-11-26 | Luật Thi đua, khen thưởng
06/2022/QH15 | 2022-06-15 | Luật Thi đua, khen thưởng
58/2020/QH14 | 2020-06-16 | Luật Hòa giải, đối thoại tại Tòa án
69/2020/QH14 | 2020-11-13 | Luật Người lao động Việt Nam đi làm việc ở nước ngoài theo hợp đồng
66/2020/QH14 | 2020-11-11 | Luật Biên phòng Việt Nam
68/2020/QH14 | 2020-11-13 | Luật Cư trú
73/2021/QH14 | 2021-03-30 | Luật Phòng, chống ma túy
10/2022/QH15 | 2022-11-10 | Luật Thực hiện dân chủ ở cơ sở
08/2022/QH15 | 2022-06-16 | Luật Kinh doanh bảo hiểm
05/2022/QH15 | 2022-06-15 | Luật Điện ảnh
12/2022/QH15 | 2022-11-14 | Luật Dầu khí
13/2022/QH15 | 2022-11-14 | Luật Phòng, chống bạo lực gia đình
40/2009/QH12 | 2009-11-23 | Luật Khám bệnh, chữa bệnh
15/2023/QH15 | 2023-01-09 | Luật Khám bệnh, chữa bệnh
19/2023/QH15 | 2023-06-20 | Luật Bảo vệ quyền lợi người tiêu dùng
51/2005/QH11 | 2005-11-29 | Luật Giao dịch điện tử
20/2023/QH15 | 2023-06-22 | Luật Giao dịch điện tử
30/2023/QH15 | 2023-11-28 | Luật Lực lượng tham gia bảo vệ an ninh, trật tự ở cơ sở
23/2023/QH15 | 2023-06-24 | Luật Quản lý, bảo vệ công trình quốc phòng và khu quân sự
18/2023/QH15 | 2023-06-20 | Luật Phòng thủ dân sự
41/2009/QH12 | 2009-11-23 | Luật Viễn thông
24/2023/QH15 | 2023-11-24 | Luật Viễn thông
47/2010/QH12 | 2010-06-16 | Luật Các tổ chức tín dụng
32/2024/QH15 | 2024-01-18 | Luật Các tổ chức tín dụng
13/2008/QH12 | 2008-06-03 | Luật Thuế giá trị gia tăng
48/2024/QH15 | 2024-11-26 | Luật Thuế giá trị gia tăng
14/2008/QH12 | 2008-06-03 | Luật Thuế thu nhập doanh nghiệp
67/2025/QH15 | 2025-06-14 | Luật Thuế thu nhập doanh nghiệp
04/2007/QH12 | 2007-11-21 | Luật Thuế thu nhập cá nhân
27/2008/QH12 | 2008-11-14 | Luật Thuế tiêu thụ đặc biệt
66/2025/QH15 | 2025-06-14 | Luật Thuế tiêu thụ đặc biệt
48/2010/QH12 | 2010-06-17 | Luật Thuế sử dụng đất phi nông nghiệp
- | 1993-07-10 | Luật Thuế sử dụng đất nông nghiệp
45/2009/QH12 | 2009-11-25 | Luật Thuế tài nguyên
57/2010/QH12 | 2010-11-15 | Luật Thuế bảo vệ môi trường
23/2008/QH12 | 2008-11-13 | Luật Giao thông đường bộ
35/2024/QH15 | 2024-06-27 | Luật Đường bộ
36/2024/QH15 | 2024-06-27 | Luật Trật tự, an toàn giao thông đường bộ
23/2004/QH11 | 2004-06-15 | Luật Giao thông đường thủy nội địa
66/2006/QH11 | 2006-06-29 | Luật Hàng không dân dụng Việt Nam
01/2011/QH13 | 2011-11-11 | Luật Lưu trữ
33/2024/QH15 | 2024-06-21 | Luật Lưu trữ
60/2024/QH15 | 2024-11-30 | Luật Dữ liệu
28/2001/QH10 | 2001-06-29 | Luật Di sản văn hóa
45/2024/QH15 | 2024-11-23 | Luật Di sản văn hóa
49/2024/QH15 | 2024-11-27 | Luật Phòng không nhân dân
53/2014/QH13 | 2014-06-20 | Luật Công chứng
46/2024/QH15 | 2024-11-26 | Luật Công chứng
60/2010/QH12 | 2010-11-17 | Luật Khoáng sản
54/2024/QH15 | 2024-11-29 | Luật Địa chất và khoáng sản
28/2004/QH11 | 2004-12-03 | Luật Điện lực
61/2024/QH15 | 2024-11-30 | Luật Điện lực
30/2009/QH12 | 2009-06-17 | Luật Quy hoạch đô thị
47/2024/QH15 | 2024-11-26 | Luật Quy hoạch đô thị và nông thôn
25/2008/QH12 | 2008-11-14 | Luật Bảo hiểm y tế
71/2025/QH15 | 2025-06-14 | Luật Công nghiệp công nghệ số
91/2025/QH15 | 2025-06-26 | Luật Bảo vệ dữ liệu cá nhân
73/2025/QH15 | 2025-06-16 | Luật Nhà giáo
69/2025/QH15 | 2025-06-14 | Luật Hóa chất
06/2007/QH12 | 2007-11-21 | Luật Hóa chất
68/2025/QH15 | 2025-06-14 | Luật Quản lý và đầu tư vốn nhà nước tại doanh nghiệp
69/2014/QH13 | 2014-11-26 | Luật Quản lý, sử dụng vốn nhà nước đầu tư vào sản xuất, kinh doanh tại doanh nghiệp
67/2011/QH12 | 2011-03-29 | Luật Kiểm toán độc lập
22/2012/QH13 | 2012-11-20 | Luật Dự trữ quốc gia
67/2006/QH11 | 2006-06-29 | Luật Công nghệ thông tin
21/2008/QH12 | 2008-11-13 | Luật Công nghệ cao
18/2008/QH12 | 2008-06-03 | Luật Năng lượng nguyên tử
50/2010/QH12 | 2010-06-17 | Luật Sử dụng năng lượng tiết kiệm và hiệu quả
55/2010/QH12 | 2010-06-17 | Luật An toàn thực phẩm
03/2007/QH12 | 2007-11-21 | Luật Phòng, chống bệnh truyền nhiễm
64/2006/QH11 | 2006-06-29 | Luật Phòng, chống HIV/AIDS
73/2006/QH11 | 2006-11-29 | Luật Bình đẳng giới
39/2009/QH12 | 2009-11-23 | Luật Người cao tuổi
51/2010/QH12 | 2010-06-17 | Luật Người khuyết tật
52/2010/QH12 | 2010-06-17 | Luật Nuôi con nuôi
52/2014/QH13 | 2014-06-19 | Luật Hôn nhân và gia đình
24/2008/QH12 | 2008-11-13 | Luật Quốc tịch Việt Nam
20/2008/QH12 | 2008-11-13 | Luật Đa dạng sinh học
77/2006/QH11 | 2006-11-29 | Luật Thể dục, thể thao
74/2014/QH13 | 2014-11-27 | Luật Giáo dục nghề nghiệp
30/2013/QH13 | 2013-06-19 | Luật Giáo dục quốc phòng và an ninh
46/2010/QH12 | 2010-06-16 | Luật Ngân hàng Nhà nước Việt Nam
06/2012/QH13 | 2012-06-18 | Luật Bảo hiểm tiền gửi
36/2005/QH11 | 2005-06-14 | Luật Thương mại
50/2005/QH11 | 2005-11-29 | Luật Sở hữu trí tuệ
68/2006/QH11 | 2006-06-29 | Luật Tiêu chuẩn và quy chuẩn kỹ thuật
05/2007/QH12 | 2007-11-21 | Luật Chất lượng sản phẩm, hàng hóa
79/2006/QH11 | 2006-11-29 | Luật Đê điều
41/2013/QH13 | 2013-11-25 | Luật Bảo vệ và kiểm dịch thực vật
27/2001/QH10 | 2001-06-29 | Luật Phòng cháy và chữa cháy
55/2024/QH15 | 2024-11-29 | Luật Phòng cháy, chữa cháy và cứu nạn, cứu hộ
49/2010/QH12 | 2010-06-17 | Luật Bưu chính
42/2009/QH12 | 2009-11-23 | Luật Tần số vô tuyến điện
32/2004/QH11 | 2004-12-03 | Luật An ninh quốc gia
05/2011/QH13 | 2011-11-26 | Luật Cơ yếu
26/2008/QH12 | 2008-11-14 | Luật Thi hành án dân sự
65/2006/QH11 | 2006-06-29 | Luật Luật sư
13/2012/QH13 | 2012-06-20 | Luật Giám định tư pháp
28/2009/QH12 | 2009-06-17 | Luật Lý lịch tư pháp
08/2007/QH12 | 2007-11-21 | Luật Tương trợ tư pháp
66/2011/QH12 | 2011-03-29 | Luật Phòng, chống mua bán người
53/2024/QH15 | 2024-11-28 | Luật Phòng, chống mua bán người
06/2003/QH11 | 2003-06-17 | Luật Biên giới quốc gia
16/1999/QH10 | 1999-12-21 | Luật Sĩ quan Quân đội nhân dân Việt Nam
29/2004/QH11 | 2004-12-03 | Luật Bảo vệ và phát triển rừng
75/2006/QH11 | 2006-11-29 | Luật Hiến, lấy, ghép mô, bộ phận cơ thể người và hiến, lấy xác
51/2014/QH13 | 2014-06-19 | Luật Phá sản
- | - | Luật Công nghiệp quốc phòng, an ninh và động viên công nghiệp
- | - | Luật Trí tuệ nhân tạo
- | - | Luật Chuyển đổi số
- | - | Luật Thương mại điện tử
- | - | Luật Dân số
- | - | Luật Phòng bệnh
- | - | Luật Cảnh sát cơ động
- | - | Luật Tổ chức chính quyền đô thị
- | - | Luật Cơ quan đại diện nước Cộng hòa xã hội chủ nghĩa Việt Nam ở nước ngoài
- | - | Luật Bảo vệ sức khỏe nhân dân
- | - | Luật Tổ chức Hội đồng nhân dân và Ủy ban nhân dân
- | - | Luật Bảo vệ, chăm sóc và giáo dục trẻ em
52/2019/QH14 | 2019-11-25 | Luật sửa đổi, bổ sung một số điều của Luật Cán bộ, công chức và Luật Viên chức
47/2019/QH14 | 2019-11-22 | Luật sửa đổi, bổ sung một số điều của Luật Tổ chức Chính phủ và Luật Tổ chức chính quyền địa phương
28/2018/QH14 | 2018-06-15 | Luật sửa đổi, bổ sung một số điều của 11 luật có liên quan đến quy hoạch
35/2018/QH14 | 2018-11-20 | Luật sửa đổi, bổ sung một số điều của 37 luật có liên quan đến quy hoạch
62/2020/QH14 | 2020-06-17 | Luật sửa đổi, bổ sung một số điều của Luật Xây dựng
67/2020/QH14 | 2020-11-13 | Luật sửa đổi, bổ sung một số điều của Luật Xử lý vi phạm hành chính
07/2022/QH15 | 2022-06-16 | Luật sửa đổi, bổ sung một số điều của Luật Sở hữu trí tuệ
43/2024/QH15 | 2024-06-29 | Luật sửa đổi, bổ sung một số điều của Luật Đất đai, Luật Nhà ở, Luật Kinh doanh bất động sản và Luật Các tổ chức tín dụng
51/2024/QH15 | 2024-11-27 | Luật sửa đổi, bổ sung một số điều của Luật Bảo hiểm y tế
56/2024/QH15 | 2024-11-29 | Luật sửa đổi, bổ sung một số điều của Luật Chứng khoán, Luật Kế toán, Luật Kiểm toán độc lập, Luật Ngân sách nhà nước, Luật Quản lý, sử dụng tài sản công, Luật Quản lý thuế, Luật Thuế thu nhập cá nhân, Luật Dự trữ quốc gia, Luật Xử lý vi phạm hành chính
57/2024/QH15 | 2024-11-29 | Luật sửa đổi, bổ sung một số điều của Luật Quy hoạch, Luật Đầu tư, Luật Đầu tư theo phương thức đối tác công tư và Luật Đấu thầu
87/2025/QH15 | 2025-06-25 | Luật sửa đổi, bổ sung một số điều của Luật Ban hành văn bản quy phạm pháp luật
76/2025/QH15 | 2025-06-17 | Luật sửa đổi, bổ sung một số điều của Luật Doanh nghiệp
75/2025/QH15 | 2025-06-16 | Luật sửa đổi, bổ sung một số điều của Luật Quảng cáo
44/2024/QH15 | 2024-11-21 | Luật sửa đổi, bổ sung một số điều của Luật Dược
56/2020/QH14 | 2020-06-10 | Luật sửa đổi, bổ sung một số điều của Luật Giám định tư pháp
34/2018/QH14 | 2018-11-19 | Luật sửa đổi, bổ sung một số điều của Luật Giáo dục đại học
51/2019/QH14 | 2019-11-25 | Luật sửa đổi, bổ sung một số điều của Luật Nhập cảnh, xuất cảnh, quá cảnh, cư trú của người nước ngoài tại Việt Nam
60/2020/QH14 | 2020-06-17 | Luật sửa đổi, bổ sung một số điều của Luật Phòng, chống thiên tai và Luật Đê điều
36/2009/QH12 | 2009-06-19 | Luật sửa đổi, bổ sung một số điều của Luật Sở hữu trí tuệ
23/2023/QH15 | 2023-06-24 | Luật sửa đổi, bổ sung một số điều của Luật Xuất cảnh, nhập cảnh của công dân Việt Nam và Luật Nhập cảnh, xuất cảnh, quá cảnh, cư trú của người nước ngoài tại Việt Nam
46/2014/QH13 | 2014-06-13 | Luật sửa đổi, bổ sung một số điều của Luật Bảo hiểm y tế
21/2023/QH15 | 2023-06-22 | Luật sửa đổi, bổ sung một số điều của Luật Công an nhân dân
02/2020/UBTVQH14 | 2020-12-09 | Pháp lệnh Ưu đãi người có công với cách mạng
11/2016/UBTVQH13 | 2016-03-08 | Pháp lệnh Quản lý thị trường
10/2014/UBTVQH13 | 2014-12-23 | Pháp lệnh Cảnh sát môi trường
- | - | Pháp lệnh Phí và lệ phí
- | - | Pháp lệnh Dân số
- | - | Pháp lệnh Thực hiện dân chủ ở xã, phường, thị trấn
- | - | Pháp lệnh Xử lý vi phạm hành chính
- | - | Pháp lệnh Tín ngưỡng, tôn giáo
- | - | Pháp lệnh Phòng, chống mại dâm
- | - | Pháp lệnh Chi phí tố tụng
- | - | Pháp lệnh Giá
- | - | Pháp lệnh Ngoại hối
- | - | Pháp lệnh Thư viện
- | - | Pháp lệnh Quảng cáo
- | - | Pháp lệnh Dự trữ quốc gia
- | - | Pháp lệnh Bảo vệ công trình thủy lợi
- | - | Pháp lệnh Khai thác và bảo vệ công trình thủy lợi
- | - | Pháp lệnh Phòng, chống lụt, bão
- | - | Pháp lệnh Thủ tục giải quyết các vụ án hành chính
- | - | Pháp lệnh Cán bộ, công chức
- | - | Pháp lệnh Quản lý, bảo vệ công trình quốc phòng và khu quân sự
- | - | Pháp lệnh Bộ đội biên phòng
- | - | Pháp lệnh Lực lượng cảnh sát chống tội phạm về ma túy
- | - | Pháp lệnh Thi hành án dân sự
- | - | Pháp lệnh Chống tham nhũng
- | - | Pháp lệnh Thuế nhà, đất
- | - | Pháp lệnh Quy định danh hiệu vinh dự Nhà nước Bà mẹ Việt Nam anh hùng
"""

ALIASES = {
    "Luật Thuế GTGT": "Luật Thuế giá trị gia tăng",
    "Luật Thuế TNDN": "Luật Thuế thu nhập doanh nghiệp",
    "Luật Thuế TNCN": "Luật Thuế thu nhập cá nhân",
    "Luật Thuế TTĐB": "Luật Thuế tiêu thụ đặc biệt",
    "Luật NSNN": "Luật Ngân sách nhà nước",
    "Luật KH, CN&ĐMST": "Luật Khoa học, công nghệ và đổi mới sáng tạo",
    "Luật KHCN&ĐMST": "Luật Khoa học, công nghệ và đổi mới sáng tạo",
    "Luật KH&CN": "Luật Khoa học và công nghệ",
    "Luật KHCN": "Luật Khoa học và công nghệ",
    "Luật ANTTATGTĐB": "Luật Trật tự, an toàn giao thông đường bộ",
    "Luật TTATGTĐB": "Luật Trật tự, an toàn giao thông đường bộ",
    "Luật XLVPHC": "Luật Xử lý vi phạm hành chính",
    "Luật BVMT": "Luật Bảo vệ môi trường",
    "Luật PCCC": "Luật Phòng cháy và chữa cháy",
    "Luật PCCC và CNCH": "Luật Phòng cháy, chữa cháy và cứu nạn, cứu hộ",
    "Luật KDBĐS": "Luật Kinh doanh bất động sản",
    "Luật TCCQĐP": "Luật Tổ chức chính quyền địa phương",
    "Luật CBCC": "Luật Cán bộ, công chức",
    "Luật Ban hành văn bản QPPL": "Luật Ban hành văn bản quy phạm pháp luật",
    "Luật Ban hành VBQPPL": "Luật Ban hành văn bản quy phạm pháp luật",
    "Luật Khám chữa bệnh": "Luật Khám bệnh, chữa bệnh",
    "Luật Hàng hải": "Bộ luật Hàng hải Việt Nam",
    "Bộ luật Hàng hải": "Bộ luật Hàng hải Việt Nam",
    "Luật Hàng hải Việt Nam": "Bộ luật Hàng hải Việt Nam",
    "Luật Lao động": "Bộ luật Lao động",
    "Luật Dân sự": "Bộ luật Dân sự",
    "Luật Hình sự": "Bộ luật Hình sự",
    "Luật Tố tụng hình sự": "Bộ luật Tố tụng hình sự",
    "Luật Tố tụng dân sự": "Bộ luật Tố tụng dân sự",
    "Luật Chính quyền địa phương": "Luật Tổ chức chính quyền địa phương",
    "Luật PPP": "Luật Đầu tư theo phương thức đối tác công tư",
    "Luật BHXH": "Luật Bảo hiểm xã hội",
    "Luật BHYT": "Luật Bảo hiểm y tế",
    "Luật Phòng cháy, chữa cháy": "Luật Phòng cháy và chữa cháy",
    "Luật Cảnh sát biển": "Luật Cảnh sát biển Việt Nam",
    "Luật Biên phòng": "Luật Biên phòng Việt Nam",
    "Luật Quốc tịch": "Luật Quốc tịch Việt Nam",
    "Luật Thi hành tạm giữ tạm giam": "Luật Thi hành tạm giữ, tạm giam",
    "Luật Hòa giải đối thoại tại Tòa án": "Luật Hòa giải, đối thoại tại Tòa án",
    "Luật Thuế xuất khẩu, nhập khẩu": "Luật Thuế xuất khẩu, thuế nhập khẩu",
}
# aliases that are titles on their own (a document citing the Bộ luật as "Luật Lao động"): reported as written
VARIANTS = ["Luật Lao động", "Luật Dân sự", "Luật Hình sự", "Luật Tố tụng hình sự", "Luật Tố tụng dân sự",
            "Luật Hàng hải", "Luật Hàng hải Việt Nam", "Bộ luật Hàng hải", "Luật Cảnh sát biển", "Luật Biên phòng",
            "Luật Quốc tịch"]

_TYPES = ("Bộ luật", "Pháp lệnh", "Hiến pháp", "Luật")
_TARGET = re.compile(r"(?:Bộ luật|Luật|Pháp lệnh) .+?(?=,? (?:và )?(?:Bộ luật|Luật|Pháp lệnh) |$)")


def _doc_type(name: str) -> str:
    return next(t for t in _TYPES if name.startswith(t + " "))


def public_laws() -> list[dict]:
    out = []
    for line in PUBLIC.strip().splitlines():
        code, date, name = (x.strip() for x in line.split("|"))
        out.append({"key": name_key(name), "name": name, "code": None if code == "-" else code,
                    "doc_type": _doc_type(name), "date": None if date == "-" else date, "source": "manual",
                    "amended_by": []})
    by_key: dict[str, list[dict]] = {}
    for e in out:
        by_key.setdefault(e["key"], []).append(e)
    for e in out:
        head = re.match(r"(?:Luật|Pháp lệnh) sửa đổi, bổ sung (?:một số điều )?của (.+)$", e["name"])
        if not head or not e["code"]:
            continue
        for target in _TARGET.findall(head.group(1)):
            olds = [o for o in by_key.get(name_key(target), []) if o["code"] and o["date"] and o["date"] < e["date"]]
            if olds:
                max(olds, key=lambda o: o["date"])["amended_by"].append(e["code"])
    return out


def _files(paths: list[str]) -> list[Path]:
    out = []
    for p in map(Path, paths):
        out.extend(sorted(f for f in p.rglob("*") if f.suffix.lower() in _SUFFIXES) if p.is_dir() else [p])
    return out


def build(paths: list[str]) -> dict:
    pairs = []
    for f in _files(paths):
        try:
            pairs.extend(coded_pairs(build_document(read(str(f)))))
        except DocparseError:
            continue
    laws = public_laws()
    by_code = {e["code"]: e for e in laws if e["code"]}
    years = {(e["key"], code_year(e["code"])) for e in laws if e["code"]}
    aliases = {name_key(a): name_key(n) for a, n in ALIASES.items()}
    for key, entries in consistent_index(pairs).by_key.items():
        for e in entries:
            known = by_code.get(e.code)
            if known:  # the corpus agrees with PUBLIC (or names the code differently: a slip, learnt from nothing)
                if aliases.get(key, key) == known["key"]:
                    known["amended_by"] = sorted(set(known["amended_by"]) | set(e.amended_by))
                    known["source"] = "corpus"
                continue
            if (aliases.get(key, key), e.year) in years:
                continue  # PUBLIC knows another law of that name and year
            number, term = e.code.split("/")[0], e.code.rsplit("/", 1)[1]
            if any(o["key"] == aliases.get(key, key) and o["code"].split("/")[0] == number
                   and o["code"].endswith("/" + term) for o in by_code.values()):
                continue  # the number of a law of that name with another year: a typo in the year
            laws.append({"key": key, "name": e.name, "code": e.code, "doc_type": e.doc_type, "date": e.date,
                         "source": "corpus", "amended_by": e.amended_by})
    for e in laws:
        e["amended_by"] = sorted(set(e["amended_by"]))
    laws.sort(key=lambda x: (x["key"], x["code"] or "", x["date"] or ""))
    return {"about": "Vietnamese laws, codes, the Constitution and ordinances known by name (and number and date "
                     "passed where code is not null): built by scripts/make_laws_lexicon.py from public facts typed "
                     "in by hand (source manual) and from consistent coded mentions of the corpus (source corpus: "
                     "the corpus cites it with its name before its number). amended_by: amending laws known by name, "
                     "and as the corpus writes it (\"… được sửa đổi, bổ sung bởi Luật số …\"). aliases: short or "
                     "variant names → the law's name; variants: the aliases that are titles on their own, reported "
                     "as written.",
            "laws": laws, "aliases": dict(sorted(ALIASES.items())), "variants": sorted(VARIANTS)}


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__)
        return 2
    data = build(argv)
    OUT.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{len(data['laws'])} laws, {len(data['aliases'])} aliases → {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
