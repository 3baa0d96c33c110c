exports.triple = function triple(x) { return x * 3; };
