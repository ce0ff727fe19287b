"""Korean: the words of every page, sheet and report, the particle a number takes, and the
fonts a document in Korean loads (kotex with the Nanum fonts)."""

from . import Language


def particle(word):
    """로 or 으로 after ``word`` as it is read aloud: a number by its last digit (영, 삼, 육
    end in a consonant other than ㄹ), a power of ten by 승."""
    if "10^" in word or "×10" in word:
        return "으로"
    return "으로" if word[-1:] in "036" else "로"


def hangul(text):
    """True when ``text`` holds Hangul, which only a document loading kotex can print."""
    return any("\uac00" <= c <= "\ud7a3" or "\u1100" <= c <= "\u11ff" or "\u3130" <= c <= "\u318f" for c in text)


LANGUAGE = Language(
    code="ko",
    name="한국어",
    preamble=(r"\usepackage{kotex}", r"\setmainhangulfont{NanumMyeongjo}", r"\setsanshangulfont{NanumGothic}"),
    packages=("texlive-lang-korean", "fonts-nanum"),
    log="ln",  # Korean schools read log as base 10 and write the natural logarithm ln
    words={
        'given': '주어진 값',
        'quantity': '기호',
        'value': '값',
        'learning_rate': '학습률',
        'forward': '순전파',
        'loss': '손실',
        'backward': '역전파: 연쇄 법칙으로 기울기 계산',
        'updates': '가중치 업데이트',
        'after': '업데이트된 가중치로 다시 순전파',
        'step': '{number}단계',
        'loss_down': '손실이 {before}에서 {after:로} 줄었습니다.',
        'loss_up': '손실이 {before}에서 {after:로} 늘었습니다. 학습률이 너무 클 수 있습니다.',
        'loss_same': '손실은 {before}에서 변하지 않았습니다.',
        'sample': '샘플 {number}',
        'many_paths': '이 파라미터에 이르는 연쇄 법칙 경로가 {count}개이므로, 위쪽 기울기와 국소 기울기의 곱으로 계산합니다.',
        'perceptron': '계단 함수는 미분할 수 없으므로, 퍼셉트론 학습 규칙에 따라 그 도함수를 1로 둡니다.',
        'indicator': "{indicator}: 괄호 안의 조건이 참이면 1, 거짓이면 0인 지시 함수로, relu, max, min의 도함수에 쓰입니다.",
        'fused_sigmoid': "시그모이드 출력 뒤의 이진 교차 엔트로피에서는 출력 유닛의 가중합에 대한 손실의 도함수가 출력에서 목표값을 뺀 ŷ − y로 간단해집니다. 시그모이드의 도함수가 손실의 분모와 약분되므로 그 하나의 인수로 씁니다.",
        'fused_softmax': "목표값의 합이 1인 소프트맥스 뒤의 교차 엔트로피에서는 소프트맥스 층의 각 가중합에 대한 손실의 도함수가 그 유닛의 출력에서 목표값을 뺀 p − y로 간단해집니다. 출력들에 대한 합이 하나로 모이므로 그 하나의 인수로 씁니다.",
        'kinks': "꺾이는 점에서는 PyTorch와 같이 도함수를 정합니다: relu'(0) = 0, 0에서 leaky_relu의 도함수는 그 기울기, 0에서 |x|' = 0이며, 두 값이 같은 max나 min은 기울기를 반씩 나누어 보냅니다. 이 단계에서는 {names}에서 그런 점을 만납니다.",
        'saturated': '{name}은(는) 유효숫자 {digits}자리로 {value}입니다: 이 {function} 유닛은 포화되어 도함수가 사실상 0이므로, {name}을(를) 거쳐 되돌아가는 기울기가 거의 없습니다.',
        'deltas': '여러 파라미터가 함께 쓰는 위쪽 기울기는 한 번만 계산해 델타로 부릅니다. 노드의 델타는 그 노드에 대한 손실의 기울기입니다.',
        'rounding': '값은 유효숫자 {digits}자리로 보여 주며, 계산에는 반올림하지 않은 값을 씁니다.',
        'rounding_carried': '모든 값을 유효숫자 {digits}자리로 반올림하고, 계산기로 풀 때처럼 반올림한 값을 다음 계산에 그대로 씁니다.',
        'matrix': "층 단위로 계산합니다. 층의 δ는 그 층의 가중합 z에 대한 손실의 기울기이고, ⊙는 성분끼리의 곱, f'는 그 층 활성화 함수의 도함수입니다.",
        'summarised': '이 신경망의 파라미터는 {count}개이므로, 각 층의 처음 {keep}개 기울기와 업데이트만 풀어 쓰고 나머지는 같은 방법으로 구합니다. 모든 값은 JSON 출력(-f json)에 있으며, --full을 주면 모두 풀어 씁니다.',
        'sheet_model': '모델',
        'sheet_name': '이름',
        'sheet_samples_alike': '{count}개의 샘플을 모두 같은 식으로 계산합니다. 샘플 1:',
        'sheet_key': '정답 및 풀이',
        'sheet_variant': '변형 {number} (시드 {seed})',
        'sheet_rules': '답은 모두 유효숫자 {digits}자리로 쓰시오. 총점: {points}점.',
        'sheet_forward': '순전파를 계산하시오.',
        'sheet_loss': '손실을 계산하시오.',
        'sheet_factors': '순전파 값에서 연쇄의 각 국소 미분을 계산하시오.',
        'sheet_gradients': '연쇄 법칙으로 각 파라미터에 대한 손실의 기울기를 구하시오.',
        'sheet_gradients_graph': '연쇄 법칙으로 각 변수에 대한 출력의 기울기를 구하시오.',
        'sheet_updates': '학습률 {rate:로} 경사 하강법에 따라 각 파라미터를 업데이트하시오.',
        'sheet_after': '업데이트된 파라미터로 순전파를 다시 계산하여 새 예측값과 손실을 구하시오.',
        'sheet_solution': '풀이:',
        'sheet_points': '점',
        'sheet_point': '점',
        'sheet_number': '학번',
        'sheet_score': '점수',
        'picture_network': '주어진 가중치와 순전파 값을 나타낸 신경망.',
        'picture_network_given': '주어진 가중치를 나타낸 신경망.',
        'picture_graph_given': '주어진 값을 나타낸 계산 그래프.',
        'picture_network_sample': '주어진 가중치와 샘플 1의 순전파 값을 나타낸 신경망.',
        'picture_graph': '계산 그래프: 각 선 위에는 값, 아래에는 그 값에 대한 출력의 기울기(빨간 기울임꼴)를 적었습니다.',
        'picture_more': '유닛이 {limit}개보다 많은 층은 처음과 마지막 유닛만 그렸습니다.',
        'picture_unlabelled': '가중치 {count}개는 주어진 값의 표에 있습니다.',
        'picture_curve': '첫 업데이트 전과 각 업데이트 뒤의 손실.',
        'picture_step': '업데이트 횟수',
        'picture_too_wide': '그림이 너무 넓어 인쇄하면 읽을 수 없으므로 여기서는 뺐습니다. HTML, SVG, PNG 출력에서 원래 크기로 볼 수 있습니다.',
        'check_key': '답',
        'check_given': '쓴 값',
        'check_expected': '정답',
        'check_status': '판정',
        'check_note': '비고',
        'check_right': '맞음',
        'check_carried': '이어짐',
        'check_wrong': '틀림',
        'check_from': '앞의 {keys}에서 바르게 이어진 값',
        'check_rounded': '반올림한 앞 답에서 바르게 이어진 값 ({value})',
        'check_off': '{percent}% 차이',
        'check_summary': '맞음 {right}, 이어짐 {carried}, 틀림 {wrong}.',
        'marks_title': '채점 결과',
        'marks_class': '{count}명 채점, 평균 {maximum}점 만점에 {mean}점.',
        'marks_unanswered': '빈칸',
        'marks_slips': '흔한 실수',
        'marks_unreadable': '{line}행: {problem}. 채점하지 않았습니다.',
        'marks_variant': '변형 {number}',
        'check_should': '바른 계산: {line}',
        'quiz_units': '{unit} 단위',
        'check_slip': '추정 원인: {slip}',
        'check_score': '점수: {maximum}점 만점에 {score}점.',
        'check_unknown': '이 풀이에 없는 값입니다',
        'check_did_you_mean': '이 풀이에 없는 값입니다 (혹시 {suggestion}?)',
        'slip_missing-activation-derivative': '활성화 함수의 도함수를 빠뜨림',
        'slip_updated-weight-used': '이전 가중치 대신 업데이트된 가중치를 씀',
        'slip_ascent-instead-of-descent': '경사 하강 대신 상승으로 업데이트함 (w + η·g)',
        'slip_learning-rate-missing': '학습률을 빠뜨림 (w − g)',
        'slip_sign-flipped': '기울기의 부호가 반대',
        'slip_factor-two': '인수 2를 빠뜨리거나 더함 (½ 규약 혼동)',
        'slip_pre-post-swapped': 'a 자리에 z를 씀 (또는 반대로)',
        'slip_wrong-input': '가중치에 맞지 않는 입력을 곱함',
        'slip_decimal-shift': '소수점 위치가 어긋남',
        'slip_early-rounding': '중간값을 너무 일찍 반올림함 (유효숫자 1~2자리)',
    },
    particle=particle,
    unit_space="",
    script=hangul,
)
