"""Every word of prose the worked solutions use, in each language.

Templates and views look text up here by key; no sentence is written anywhere else.
"""

CATALOGUE = {
    "en": {
        "given": "Given values",
        "quantity": "Quantity",
        "value": "Value",
        "learning_rate": "learning rate",
        "forward": "Forward pass",
        "loss": "Loss",
        "backward": "Backward pass: gradients by the chain rule",
        "updates": "Gradient-descent update",
        "after": "Forward pass with the updated parameters",
        "step": "Step {number}",
        "loss_down": "The loss falls from {before} to {after}.",
        "loss_up": "The loss rises from {before} to {after}: the learning rate may be too large.",
        "sample": "Sample {number}",
        "many_paths": "{count} chain-rule paths lead to this parameter; their sum is the upstream gradient times the local one.",
        "perceptron": "The step function is not differentiable; following the perceptron rule, its derivative is taken as 1.",
        "deltas": "Each upstream gradient that several parameters share is computed once and named: delta of a node is the derivative of the loss with respect to it.",
        "rounding": "Values are shown to {digits} significant digits; every calculation uses the exact values.",
        "rounding_carried": "Every value is rounded to {digits} significant digits and the rounded value is used from then on, as with a calculator.",
        "sheet_model": "The model",
        "sheet_name": "Name",
        "sheet_samples_alike": "The {count} samples are computed alike; sample 1:",
        "sheet_key": "Answer key",
        "sheet_variant": "Variant {number} (seed {seed})",
        "sheet_rules": "Write every answer to {digits} significant digits. Total: {points} points.",
        "sheet_forward": "Compute the forward pass.",
        "sheet_loss": "Compute the loss.",
        "sheet_gradients": "Compute the gradient of the loss with respect to every parameter by the chain rule.",
        "sheet_gradients_graph": "Compute the gradient of the output with respect to every variable by the chain rule.",
        "sheet_updates": "Update every parameter by gradient descent with learning rate {rate}.",
        "sheet_after": "Compute the forward pass again with the updated parameters: the new prediction and loss.",
        "sheet_solution": "Solution:",
        "sheet_points": "points",
        "sheet_point": "point",
        "check_key": "Answer",
        "check_given": "Given",
        "check_expected": "Expected",
        "check_status": "Status",
        "check_note": "Note",
        "check_right": "right",
        "check_carried": "carried",
        "check_wrong": "wrong",
        "check_from": "follows from your {keys}",
        "check_rounded": "follows from your rounded earlier answers ({value})",
        "check_off": "{percent}% off",
        "check_off_carried": "{percent}% off; from your earlier answers: {value}",
        "check_summary": "{right} right, {carried} carried, {wrong} wrong.",
    },
    "ko": {
        "given": "주어진 값",
        "quantity": "기호",
        "value": "값",
        "learning_rate": "학습률",
        "forward": "순전파",
        "loss": "손실",
        "backward": "역전파: 연쇄 법칙으로 기울기 계산",
        "updates": "가중치 업데이트",
        "after": "업데이트된 가중치로 다시 순전파",
        "step": "{number}단계",
        "loss_down": "손실이 {before}에서 {after:로} 줄었습니다.",
        "loss_up": "손실이 {before}에서 {after:로} 늘었습니다. 학습률이 너무 클 수 있습니다.",
        "sample": "샘플 {number}",
        "many_paths": "이 파라미터에 이르는 연쇄 법칙 경로가 {count}개이므로, 위쪽 기울기와 국소 기울기의 곱으로 계산합니다.",
        "perceptron": "계단 함수는 미분할 수 없으므로, 퍼셉트론 학습 규칙에 따라 그 도함수를 1로 둡니다.",
        "deltas": "여러 파라미터가 함께 쓰는 위쪽 기울기는 한 번만 계산해 델타로 부릅니다. 노드의 델타는 그 노드에 대한 손실의 기울기입니다.",
        "rounding": "값은 유효숫자 {digits}자리로 보여 주며, 계산에는 반올림하지 않은 값을 씁니다.",
        "rounding_carried": "모든 값을 유효숫자 {digits}자리로 반올림하고, 계산기로 풀 때처럼 반올림한 값을 다음 계산에 그대로 씁니다.",
        "sheet_model": "모델",
        "sheet_name": "이름",
        "sheet_samples_alike": "{count}개의 샘플을 모두 같은 식으로 계산합니다. 샘플 1:",
        "sheet_key": "정답 및 풀이",
        "sheet_variant": "변형 {number} (시드 {seed})",
        "sheet_rules": "답은 모두 유효숫자 {digits}자리로 쓰시오. 총점: {points}점.",
        "sheet_forward": "순전파를 계산하시오.",
        "sheet_loss": "손실을 계산하시오.",
        "sheet_gradients": "연쇄 법칙으로 각 파라미터에 대한 손실의 기울기를 구하시오.",
        "sheet_gradients_graph": "연쇄 법칙으로 각 변수에 대한 출력의 기울기를 구하시오.",
        "sheet_updates": "학습률 {rate:로} 경사 하강법에 따라 각 파라미터를 업데이트하시오.",
        "sheet_after": "업데이트된 파라미터로 순전파를 다시 계산하여 새 예측값과 손실을 구하시오.",
        "sheet_solution": "풀이:",
        "sheet_points": "점",
        "sheet_point": "점",
        "check_key": "답",
        "check_given": "쓴 값",
        "check_expected": "정답",
        "check_status": "판정",
        "check_note": "비고",
        "check_right": "맞음",
        "check_carried": "이어짐",
        "check_wrong": "틀림",
        "check_from": "앞의 {keys}에서 바르게 이어진 값",
        "check_rounded": "반올림한 앞 답에서 바르게 이어진 값 ({value})",
        "check_off": "{percent}% 차이",
        "check_off_carried": "{percent}% 차이, 앞 답에서 이어지는 값: {value}",
        "check_summary": "맞음 {right}, 이어짐 {carried}, 틀림 {wrong}.",
    },
}


class _Word(str):
    """A field of a message; ``{n:로}`` adds the Korean particle its reading takes."""

    def __format__(self, spec):
        if spec == "로":
            # a number is read by its last digit: 영, 삼, 육 end in a consonant other than ㄹ
            return self + ("으로" if self[-1:] in "036" else "로")
        return format(str(self), spec)


def text(lang, key, **fields):
    return CATALOGUE[lang][key].format(**{k: _Word(v) for k, v in fields.items()})
