"""Classifiers: decision tree, Gaussian naive Bayes and a multi-class support vector machine (scikit-learn)."""

from __future__ import annotations

from typing import Annotated

from flowlike_catalog.ml.model import Features, MLModel, Source, Target, fit_supervised

from flowlike_core import Context, Pin, node

CATEGORY = "AI/ML/Classification"
Fitted = Annotated[MLModel, Pin(name="model")]
Seed = Annotated[int, Pin(description="Seed of the estimator's random choices: the same seed fits the same model")]


@node(friendly_name="Train Classifier (Decision Tree)", exec_pins=True)
def fit_decision_tree(ctx: Context, source: Source = None,
                      max_depth: Annotated[int, Pin(description="Deepest level of splits; 0: no limit")] = 10,
                      min_samples_split: Annotated[int, Pin(description="Rows a node needs to be split")] = 2,
                      feature_cols: Features = None, target_col: Target = "target", seed: Seed = 0) -> Fitted:
    """Fits a decision tree classifier (scikit-learn's DecisionTreeClassifier, gini splits)."""
    from sklearn.tree import DecisionTreeClassifier

    tree = DecisionTreeClassifier(max_depth=max_depth or None, min_samples_split=min_samples_split,
                                  random_state=seed)
    return fit_supervised(ctx, tree, "DecisionTree", source, feature_cols, target_col)


@node(friendly_name="Train Classifier (Naive Bayes)", exec_pins=True)
def fit_naive_bayes(ctx: Context, source: Source = None, feature_cols: Features = None,
                    target_col: Target = "target") -> Fitted:
    """Fits a Gaussian naive Bayes classifier: each feature normal within each class."""
    from sklearn.naive_bayes import GaussianNB

    return fit_supervised(ctx, GaussianNB(), "NaiveBayes", source, feature_cols, target_col)


@node(friendly_name="Train Classifier (SVM)", exec_pins=True)
def fit_svm_multi_class(ctx: Context, source: Source = None, kernel: Annotated[str, Pin(valid_values=(
        "rbf", "linear", "poly", "sigmoid"))] = "rbf",
        c: Annotated[float, Pin(description="Inverse regularization strength: higher fits the training rows closer")]
        = 1.0, feature_cols: Features = None, target_col: Target = "target", seed: Seed = 0) -> Fitted:
    """Fits a support vector classifier for any number of classes (scikit-learn's SVC, one-vs-one)."""
    from sklearn.svm import SVC

    return fit_supervised(ctx, SVC(kernel=kernel, C=c, random_state=seed), "SVM", source, feature_cols, target_col)
