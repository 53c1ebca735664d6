"""Typical mistakes in 03_optimization that the hidden tests must catch (course spec's list).

Each entry makes one mistake in an otherwise correct notebook; ``tests/test_mistakes.py``
checks that the listed test cells lose points.
"""
from nbcourse.authoring import Mistake

# The head of the training loop's epoch loop, as the solution writes it.
LOOP_HEAD = 'lr = learning_rate if decay is None else decay(learning_rate, epoch)\n        for X_b, Y_b in random_mini_batches(X, Y, mini_batch_size, seed=seed + epoch):\n            AL, caches = H.L_model_forward(X_b, parameters)\n            costs.append(H.compute_cost(AL, Y_b))\n            grads = H.L_model_backward(AL, Y_b, caches)\n            t += 1'

MISTAKES = [
    # Exponentially weighted averages.
    Mistake("EWMA with beta and 1 - beta swapped", "ewma",
            "v = beta * v + (1 - beta) * theta[t - 1]",
            "v = (1 - beta) * v + beta * theta[t - 1]",
            tests=("test_ewma",)),
    Mistake("EWMA bias correction missing", "ewma",
            "v / (1 - beta ** t) if bias_correction else v",
            "v",
            tests=("test_ewma",)),
    Mistake("EWMA bias correction with beta^(t-1)", "ewma",
            "(1 - beta ** t)",
            "(1 - beta ** (t - 1))",
            tests=("test_ewma",)),
    Mistake("hard-codes the visible test's expected output (ewma)", "ewma",
            "v = 0.0",
            "return np.array([0.2, 0.596]) if not bias_correction else np.array([10.0, 0.596 / 0.0396])\n"
            "    v = 0.0",
            tests=("test_ewma",)),
    # Mini-batches.
    Mistake("mini-batches where X and Y are shuffled with different permutations", "random_mini_batches",
            "Y_shuffled = Y[:, permutation]",
            "Y_shuffled = Y[:, rng.permutation(m)]",
            tests=("test_random_mini_batches",)),
    Mistake("mini-batches with the last partial batch dropped", "random_mini_batches",
            "range(0, m, mini_batch_size)",
            "range(0, m - mini_batch_size + 1, mini_batch_size)",
            tests=("test_random_mini_batches",)),
    # Momentum, RMSprop, Adam.
    Mistake("momentum without the (1 - beta) factor", "update_parameters_with_momentum",
            "(1 - beta) * grads[d]",
            "grads[d]",
            tests=("test_update_parameters_with_momentum",)),
    Mistake("RMSprop without the square", "update_parameters_with_rmsprop",
            "np.square(grads[d])",
            "grads[d]",
            tests=("test_update_parameters_with_rmsprop",)),
    Mistake("Adam without bias correction", "update_parameters_with_adam",
            "v_corrected[d] = v[d] / (1 - beta1 ** t)\n        s_corrected[d] = s[d] / (1 - beta2 ** t)",
            "v_corrected[d] = v[d]\n        s_corrected[d] = s[d]",
            tests=("test_update_parameters_with_adam",)),
    Mistake("Adam with beta1 where beta2 belongs", "update_parameters_with_adam",
            "s[d] = beta2 * s[d] + (1 - beta2)",
            "s[d] = beta1 * s[d] + (1 - beta1)",
            tests=("test_update_parameters_with_adam",)),
    Mistake("Adam with t starting at 0", "adam_descent",
            "range(1, num_iterations + 1)",
            "range(num_iterations)",
            tests=("test_adam_descent",)),
    # Learning-rate decay.
    Mistake("learning-rate schedule using epoch where floor(epoch / interval) belongs", "schedule_lr_decay",
            "np.floor(epoch_num / time_interval)",
            "epoch_num",
            tests=("test_schedule_lr_decay",)),
    Mistake("hard-codes the visible test's expected output (schedule_lr_decay)", "schedule_lr_decay",
            "learning_rate = learning_rate0 / (1 + decay_rate * np.floor(epoch_num / time_interval))",
            "learning_rate = {1: 0.5, 99: 0.5, 100: 0.5 / 1.3, 250: 0.5 / 1.6}[epoch_num]",
            tests=("test_schedule_lr_decay",)),
    Mistake("momentum loop that updates only the weights, not the biases", "update_parameters_with_momentum",
            "for name in parameters:",
            "for name in [key for key in parameters if key.startswith('W')]:",
            tests=("test_update_parameters_with_momentum",)),
    # The training loop.
    Mistake("training loop calling the schedule with epochs counted from 0", "train_with_your_optimizer",
            "else decay(learning_rate, epoch)",
            "else decay(learning_rate, epoch - 1)",
            tests=("test_train_with_your_optimizer",)),
    Mistake("training loop compounding the decay (the previous rate fed back in)", "train_with_your_optimizer",
            "lr = learning_rate if decay is None else decay(learning_rate, epoch)",
            "learning_rate = learning_rate if decay is None else decay(learning_rate, epoch)\n"
            "        lr = learning_rate",
            tests=("test_train_with_your_optimizer",)),
    Mistake("training loop restarting Adam's step counter every epoch", "train_with_your_optimizer",
            "lr = learning_rate if decay is None else decay(learning_rate, epoch)",
            "lr = learning_rate if decay is None else decay(learning_rate, epoch)\n        t = 0",
            tests=("test_train_with_your_optimizer",)),
    Mistake("training loop counting Adam's t per epoch instead of per update", "train_with_your_optimizer",
            LOOP_HEAD,
            LOOP_HEAD.replace("\n            t += 1", "").replace("epoch)\n", "epoch)\n        t += 1\n", 1),
            tests=("test_train_with_your_optimizer",)),
    Mistake("training loop resetting the optimizer state every epoch", "train_with_your_optimizer",
            "lr = learning_rate if decay is None else decay(learning_rate, epoch)",
            "lr = learning_rate if decay is None else decay(learning_rate, epoch)\n"
            "        v, s = H.initialize_adam(parameters)",
            tests=("test_train_with_your_optimizer",)),
    Mistake("training loop with the same shuffle every epoch", "train_with_your_optimizer",
            "seed=seed + epoch)",
            "seed=seed)",
            tests=("test_train_with_your_optimizer",)),
]
