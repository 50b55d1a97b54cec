"""Demo nominations: the seed workshop's 2022 round (from every active member country, submitted
before the 3 Aug 2022 deadline, more than both quotas) and drafts/submissions for the open 2027
edition by the demo NPO officers.

The 2022 round is history: it goes through the services with `backfill_at` (the instant it
happened; the deadline rule is checked at that instant and the audit says "backfilled").
Idempotent: a person already nominated for a project is left alone.
"""

import datetime
import hashlib
import unicodedata
import zoneinfo

from django.core.files.base import ContentFile
from django.db import transaction

from apopms.demo import ACCOUNTS, FUTURE_CODE, SEED_CODE
from apopms.models import MemberCountry, Project, User

from . import services
from .enums import EnglishProficiency, Gender, OrganizationType
from .models import Nomination

F, M = Gender.FEMALE, Gender.MALE
MIN, LGU, ENT, PUB, ACA = (
    OrganizationType.MINISTRY,
    OrganizationType.LOCAL_GOVERNMENT,
    OrganizationType.ENTERPRISE,
    OrganizationType.PUBLIC_ORGANIZATION,
    OrganizationType.ACADEMIC,
)

# (name for the certificate, name in own script or "", gender), as each person writes it.
PEOPLE = {
    "BD": [
        ("Md. Rafiqul Islam", "মোঃ রফিকুল ইসলাম", M),
        ("Nasrin Akter", "নাসরিন আক্তার", F),
        ("Tanvir Ahmed", "তানভীর আহমেদ", M),
        ("Farhana Rahman", "ফারহানা রহমান", F),
        ("Shafiqul Haque", "শফিকুল হক", M),
    ],
    "KH": [
        ("Sok Chanthou", "សុខ ចាន់ធូ", F),
        ("Chea Sophal", "ជា សុផល", M),
        ("Kim Sreymom", "គីម ស្រីមុំ", F),
        ("Heng Vuthy", "ហេង វុទ្ធី", M),
    ],
    "TW": [
        ("Chen Mei-ling", "陳美玲", F),
        ("Lin Chih-wei", "林志偉", M),
        ("Huang Ya-ting", "黃雅婷", F),
        ("Wang Chien-hung", "王建宏", M),
        ("Chang Shu-fen", "張淑芬", F),
    ],
    "FJ": [
        ("Mereani Vakaloloma", "", F),
        ("Josaia Ravuvu", "", M),
        ("Ravinesh Prasad", "", M),
        ("Salote Naivalu", "", F),
    ],
    "HK": [
        ("Chan Tai Man", "陳大文", M),
        ("Wong Siu Ling", "黃小玲", F),
        ("Leung Ka Yan", "梁嘉欣", F),
        ("Cheung Wai Kit", "張偉傑", M),
    ],
    "IN": [
        ("Anjali Sharma", "अंजलि शर्मा", F),
        ("Rajesh Kumar Verma", "राजेश कुमार वर्मा", M),
        ("Priya Nair", "प्रिया नायर", F),
        ("Vikram Singh Rathore", "विक्रम सिंह राठौर", M),
        ("Sunita Yadav", "सुनीता यादव", F),
        ("Arvind Joshi", "अरविंद जोशी", M),
    ],
    "ID": [
        ("Siti Rahmawati", "", F),
        ("Budi Santoso", "", M),
        ("Dewi Lestari", "", F),
        ("Agus Setiawan", "", M),
        ("Rina Wulandari", "", F),
    ],
    "IR": [
        ("Mohammad Rezaei", "محمد رضایی", M),
        ("Fatemeh Hosseini", "فاطمه حسینی", F),
        ("Ali Karimi", "علی کریمی", M),
        ("Maryam Ahmadi", "مریم احمدی", F),
        ("Reza Moradi", "رضا مرادی", M),
    ],
    "JP": [
        ("Yuki Takahashi", "高橋 由紀", F),
        ("Hiroshi Watanabe", "渡辺 浩", M),
        ("Sakura Suzuki", "鈴木 さくら", F),
        ("Takeshi Yamamoto", "山本 武", M),
        ("Naoko Ito", "伊藤 直子", F),
    ],
    "KR": [
        ("Kim Min-jun", "김민준", M),
        ("Lee Seo-yeon", "이서연", F),
        ("Park Ji-hoon", "박지훈", M),
        ("Choi Eun-ji", "최은지", F),
        ("Jung Hyun-woo", "정현우", M),
    ],
    "LA": [
        ("Souksavanh Phommachanh", "ສຸກສະຫວັນ ພົມມະຈັນ", M),
        ("Vilayphone Keomany", "ວິໄລພອນ ແກ້ວມະນີ", F),
        ("Khamphone Sisouk", "ຄຳພອນ ສີສຸກ", M),
        ("Manivanh Phetsamone", "ມະນີວັນ ເພັດສະໝອນ", F),
    ],
    "MY": [
        ("Nurul Aini binti Ahmad", "", F),
        ("Muhammad Faizal bin Hassan", "", M),
        ("Tan Mei Ling", "陈美玲", F),
        ("Rajendran a/l Muthu", "ராஜேந்திரன் முத்து", M),
        ("Siti Aishah binti Omar", "", F),
    ],
    "MN": [
        ("Batbayar Dorj", "Доржийн Батбаяр", M),
        ("Oyunchimeg Bat", "Батын Оюунчимэг", F),
        ("Ganbold Tseren", "Цэрэнгийн Ганболд", M),
        ("Enkhtuya Sukh", "Сүхийн Энхтуяа", F),
    ],
    "NP": [
        ("Ram Prasad Sharma", "राम प्रसाद शर्मा", M),
        ("Sita Kumari Thapa", "सीता कुमारी थापा", F),
        ("Bikash Shrestha", "विकास श्रेष्ठ", M),
        ("Anita Gurung", "अनिता गुरुङ", F),
        ("Suman Adhikari", "सुमन अधिकारी", M),
    ],
    "PK": [
        ("Muhammad Imran Khan", "محمد عمران خان", M),
        ("Ayesha Siddiqui", "عائشہ صدیقی", F),
        ("Ahmed Raza", "احمد رضا", M),
        ("Fatima Javed", "فاطمہ جاوید", F),
        ("Usman Tariq", "عثمان طارق", M),
    ],
    "PH": [
        ("Maria Cristina Reyes", "", F),
        ("Jose Antonio Dela Cruz", "", M),
        ("Ana Marie Santos", "", F),
        ("Mark Anthony Villanueva", "", M),
        ("Rosario Bautista", "", F),
        ("Ramon Mendoza", "", M),
    ],
    "SG": [
        ("Tan Wei Ming", "陈伟明", M),
        ("Nur Aisyah binti Salleh", "", F),
        ("Lim Hui Min", "林慧敏", F),
        ("Prakash s/o Raman", "பிரகாஷ் ராமன்", M),
    ],
    "LK": [
        ("Kumari Perera", "කුමාරි පෙරේරා", F),
        ("Nuwan Jayasinghe", "නුවන් ජයසිංහ", M),
        ("Dilani Fernando", "දිලානි ප්‍රනාන්දු", F),
        ("Chaminda Wijesekara", "චමින්ද විජේසේකර", M),
        ("Sivakumar Rajaratnam", "சிவகுமார் இராஜரட்ணம்", M),
        ("Sanduni Rathnayake", "සඳුනි රත්නායක", F),
        ("Ruwan Bandara", "රුවන් බණ්ඩාර", M),
        ("Kalaivani Shanmugam", "கலைவாணி சண்முகம்", F),
        ("Ishara Gunawardena", "ඉෂාර ගුණවර්ධන", F),
        ("Lasantha Silva", "ලසන්ත සිල්වා", M),
        ("Tharshan Yogarajah", "தர்ஷன் யோகராஜா", M),
        ("Thilini Herath", "තිළිණි හේරත්", F),
        ("Pradeep Kumarasinghe", "ප්‍රදීප් කුමාරසිංහ", M),
        ("Nirmala Selvaraj", "நிர்மலா செல்வராஜ்", F),
        ("Nadeeka Senanayake", "නදීකා සේනානායක", F),
        ("Asanka Dissanayake", "අසංක දිසානායක", M),
        ("Mohamed Rizwan", "முகமது ரிஸ்வான்", M),
        ("Malini Wickramasinghe", "මාලිනී වික්‍රමසිංහ", F),
        ("Sampath Rajapaksha", "සම්පත් රාජපක්ෂ", M),
        ("Vasuki Thillainathan", "வாசுகி தில்லைநாதன்", F),
    ],
    "TH": [
        ("Somchai Wongsawat", "สมชาย วงศ์สวัสดิ์", M),
        ("Siriporn Chaiyaphum", "ศิริพร ชัยภูมิ", F),
        ("Anan Srisuk", "อนันต์ ศรีสุข", M),
        ("Kanokwan Thongdee", "กนกวรรณ ทองดี", F),
        ("Prasert Boonmee", "ประเสริฐ บุญมี", M),
    ],
    "TR": [
        ("Ayşe Yıldız", "", F),
        ("Mehmet Çelik", "", M),
        ("Zeynep Öztürk", "", F),
        ("Mustafa Şahin", "", M),
        ("Elif Güneş", "", F),
    ],
    "VN": [
        ("Nguyễn Thị Lan", "", F),
        ("Trần Văn Hùng", "", M),
        ("Lê Thị Thu Hà", "", F),
        ("Phạm Minh Tuấn", "", M),
        ("Hoàng Thị Mai", "", F),
    ],
}

# The 2027 edition: what the demo NPO officers have started (the last one of each stays a draft).
FUTURE_PEOPLE = {
    "LK": [
        ("Hasini Abeysekara", "හසිනි අබේසේකර", F),
        ("Kasun Weerasinghe", "කසුන් වීරසිංහ", M),
        ("Priyanka Navaratnam", "பிரியங்கா நவரட்ணம்", F),
    ],
    "IN": [
        ("Meera Iyer", "मीरा अय्यर", F),
        ("Sanjay Gupta", "संजय गुप्ता", M),
        ("Kavita Desai", "कविता देसाई", F),
    ],
    "JP": [("Kenta Kobayashi", "小林 健太", M), ("Mai Nakamura", "中村 舞", F), ("Sho Kato", "加藤 翔", M)],
    "PH": [("Patricia Gonzales", "", F), ("Emmanuel Aquino", "", M), ("Liza Ramos", "", F)],
    "TR": [("Burak Aydın", "", M), ("Gülşen Koç", "", F), ("Serkan Doğan", "", M)],
    "MY": [
        ("Aminah binti Yusof", "", F),
        ("Wong Kah Hoe", "黄家豪", M),
        ("Kavitha a/p Subramaniam", "கவிதா சுப்பிரமணியம்", F),
    ],
}

ORGANIZATIONS = {
    "BD": [
        ("Cabinet Division", MIN),
        ("Dhaka North City Corporation", LGU),
        ("Bangladesh Public Administration Training Centre", PUB),
    ],
    "KH": [
        ("Ministry of Civil Service", MIN),
        ("Phnom Penh Capital Hall", LGU),
        ("Royal School of Administration", ACA),
    ],
    "TW": [("National Development Council", MIN), ("Taipei City Government", LGU), ("Taiwan Power Company", ENT)],
    "FJ": [("Ministry of Civil Service", MIN), ("Suva City Council", LGU), ("Fiji National University", ACA)],
    "HK": [("Civil Service Bureau", MIN), ("Efficiency Office", PUB), ("Hong Kong Productivity Council", PUB)],
    "IN": [
        ("Department of Administrative Reforms and Public Grievances", MIN),
        ("Municipal Corporation of Greater Mumbai", LGU),
        ("National Productivity Council", PUB),
    ],
    "ID": [
        ("Ministry of Administrative and Bureaucratic Reform", MIN),
        ("Surabaya City Government", LGU),
        ("National Institute of Public Administration", PUB),
    ],
    "IR": [
        ("Administrative and Recruitment Affairs Organization", MIN),
        ("Tehran Municipality", LGU),
        ("University of Tehran", ACA),
    ],
    "JP": [
        ("Ministry of Internal Affairs and Communications", MIN),
        ("Yokohama City Office", LGU),
        ("Japan Productivity Center", PUB),
    ],
    "KR": [
        ("Ministry of the Interior and Safety", MIN),
        ("Seoul Metropolitan Government", LGU),
        ("Korea Institute of Public Administration", ACA),
    ],
    "LA": [
        ("Ministry of Home Affairs", MIN),
        ("Vientiane Capital Administration", LGU),
        ("National University of Laos", ACA),
    ],
    "MY": [
        ("Public Service Department", MIN),
        ("Penang Island City Council", LGU),
        ("Malaysia Productivity Corporation", PUB),
    ],
    "MN": [
        ("Civil Service Council", MIN),
        ("Ulaanbaatar City Governor's Office", LGU),
        ("National Academy of Governance", ACA),
    ],
    "NP": [
        ("Ministry of Federal Affairs and General Administration", MIN),
        ("Lalitpur Metropolitan City", LGU),
        ("Nepal Administrative Staff College", PUB),
    ],
    "PK": [
        ("Establishment Division", MIN),
        ("Lahore Development Authority", LGU),
        ("Pakistan Institute of Development Economics", ACA),
    ],
    "PH": [
        ("Civil Service Commission", MIN),
        ("Quezon City Government", LGU),
        ("Development Academy of the Philippines", PUB),
    ],
    "SG": [("Public Service Division", MIN), ("Housing & Development Board", PUB), ("Civil Service College", PUB)],
    "LK": [
        ("Ministry of Public Administration", MIN),
        ("Colombo Municipal Council", LGU),
        ("Sri Lanka Institute of Development Administration", PUB),
        ("Ceylon Electricity Board", ENT),
        ("University of Sri Jayewardenepura", ACA),
    ],
    "TH": [
        ("Office of the Public Sector Development Commission", MIN),
        ("Bangkok Metropolitan Administration", LGU),
        ("Provincial Electricity Authority", ENT),
    ],
    "TR": [
        ("Presidency of Strategy and Budget", MIN),
        ("Ankara Metropolitan Municipality", LGU),
        ("Middle East Technical University", ACA),
    ],
    "VN": [
        ("Ministry of Home Affairs", MIN),
        ("Hanoi People's Committee", LGU),
        ("National Academy of Public Administration", ACA),
    ],
}

POSITIONS = [
    "Director, Performance Management",
    "Deputy Director",
    "Senior Planning Officer",
    "Assistant Secretary",
    "Head of Quality Management",
    "Programme Officer",
    "Senior Lecturer in Public Administration",
]
STATEMENTS = [
    "Leads the rollout of the ministry's key performance indicator framework and will use the workshop to design "
    "its postpandemic revision.",
    "Coordinates quality management (ISO 9001) across departments and will share the frameworks learned with "
    "the regional offices.",
    "Manages the digital service dashboard and will apply the tools to link digital transformation with "
    "performance targets.",
    "Teaches public-sector productivity and will bring the strategic plans into the training of new officers.",
]
CALLING_CODES = {
    "BD": "+880 2", "KH": "+855 23", "TW": "+886 2", "FJ": "+679 3", "HK": "+852 2", "IN": "+91 11",
    "ID": "+62 21", "IR": "+98 21", "JP": "+81 3", "KR": "+82 2", "LA": "+856 21", "MY": "+60 3",
    "MN": "+976 11", "NP": "+977 1", "PK": "+92 51", "PH": "+63 2", "SG": "+65 6", "LK": "+94 11",
    "TH": "+66 2", "TR": "+90 312", "VN": "+84 24",
}  # fmt: skip
WITHDRAWN_2022 = {("IN", "Arvind Joshi"), ("PH", "Ramon Mendoza")}
SEED_ZONE = zoneinfo.ZoneInfo("Asia/Colombo")


def _number(text, modulo):
    return int(hashlib.sha256(text.encode()).hexdigest()[:8], 16) % modulo


def email_for(name, iso2):
    ascii_name = unicodedata.normalize("NFKD", name.replace("ı", "i").replace("đ", "d").replace("Đ", "D"))
    ascii_name = ascii_name.encode("ascii", "ignore").decode().lower()
    parts = [
        p
        for p in "".join(c if c.isalnum() else " " for c in ascii_name).split()
        if p not in ("md", "binti", "bin", "al", "ap", "s", "o", "a", "l", "p")
    ]
    return f"{'.'.join(parts)}@{iso2.lower()}.gov.example"


def person_data(iso2, index, name, native, gender):
    org, org_type = ORGANIZATIONS[iso2][index % len(ORGANIZATIONS[iso2])]
    digits = f"{_number(name, 10_000_000):07d}"
    return {
        "certificate_name": name,
        "native_name": native,
        "gender": gender,
        "date_of_birth": datetime.date(
            1968 + _number(name + "y", 25), 1 + _number(name + "m", 12), 1 + _number(name + "d", 28)
        ),
        "email": email_for(name, iso2),
        "phone": f"{CALLING_CODES[iso2]} {digits[:3]} {digits[3:]}",
        "organization": org,
        "organization_type": org_type,
        "position": POSITIONS[(index + _number(name, 7)) % len(POSITIONS)],
        "years_experience": 4 + _number(name + "x", 20),
        "statement": STATEMENTS[_number(name + "s", len(STATEMENTS))],
        "english_proficiency": [EnglishProficiency.FLUENT, EnglishProficiency.GOOD, EnglishProficiency.FAIR][
            _number(name + "e", 3)
        ],
    }


def _demo_cv(name):
    body = f"%PDF-1.4\n% Curriculum vitae of {name} (demo)\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
    return ContentFile(body.encode("utf-8"), name="cv.pdf")


def _officers():
    emails = {iso2: email for email, _, role, iso2 in ACCOUNTS if iso2}
    users = {u.email: u for u in User.objects.filter(email__in=emails.values())}
    return {iso2: users.get(email) for iso2, email in emails.items()}


def _exists(project, email):
    return Nomination.objects.filter(project=project, email__iexact=email).exists()


def _load_seed_round(project, officers):
    created = 0
    countries = {c.iso2: c for c in MemberCountry.objects.active().filter(projects=project)}
    for iso2, people in PEOPLE.items():
        country = countries.get(iso2)
        if country is None:
            continue
        actor = officers.get(iso2)
        for index, (name, native, gender) in enumerate(people):
            data = person_data(iso2, index, name, native, gender)
            if _exists(project, data["email"]):
                continue
            # Submitted between 20 June and 2 August 2022, in office hours in Colombo.
            day = datetime.date(2022, 6, 20) + datetime.timedelta(days=_number(name + "day", 43))
            when = datetime.datetime.combine(
                day, datetime.time(9 + _number(name + "h", 7), _number(name, 60)), SEED_ZONE
            )
            nomination = services.create_nomination(
                project=project, country=country, actor=actor, data=data, backfill_at=when
            )
            services.submit_nomination(
                nomination=nomination, actor=actor, backfill_at=when + datetime.timedelta(hours=1)
            )
            if (iso2, name) in WITHDRAWN_2022:
                services.withdraw_nomination(
                    nomination=nomination,
                    actor=actor,
                    reason="Transferred to another post",
                    backfill_at=when + datetime.timedelta(days=1),
                )
            created += 1
    return created


def _load_future_round(project, officers):
    created = 0
    for iso2, people in FUTURE_PEOPLE.items():
        actor = officers.get(iso2)
        if actor is None or not project.accepts_nominations():
            continue
        for index, (name, native, gender) in enumerate(people):
            data = person_data(iso2, index, name, native, gender)
            if _exists(project, data["email"]):
                continue
            nomination = services.create_nomination(
                project=project, country=actor.npo_country, actor=actor, data=data, cv=_demo_cv(name)
            )
            if index < len(people) - 1:
                services.submit_nomination(nomination=nomination, actor=actor, notify=False)
            created += 1
    return created


@transaction.atomic
def load(stdout):
    officers = _officers()
    seed = Project.objects.filter(code=SEED_CODE).first()
    future = Project.objects.filter(code=FUTURE_CODE).first()
    made = _load_seed_round(seed, officers) if seed else 0
    made_future = _load_future_round(future, officers) if future else 0
    if seed:
        total = Nomination.objects.filter(project=seed, status="submitted")
        stdout.write(
            f"Nominations: {made} added to {SEED_CODE} ({total.filter(category='overseas').count()} overseas, "
            f"{total.filter(category='local').count()} local submitted), {made_future} to {FUTURE_CODE}."
        )
    from .demo_selection import load_selection  # the selection (issue 5), once the nominations exist

    load_selection(stdout)


def logins():
    """Demo participants of the seed workshop (from the selection)."""
    from .demo_selection import logins as selection_logins

    return selection_logins()
