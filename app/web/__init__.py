"""What every request passes through: guard, CSRF, problem answers, answer cache, health."""
